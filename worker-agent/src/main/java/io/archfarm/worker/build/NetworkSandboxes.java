package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and removes the network sandboxes of the jobs (isolation level {@code netns}). A sandbox is a network
 * namespace of the job's own, numbered ({@link SandboxNumbers}: no two jobs of one host hold one number). With
 * egress {@code none} the namespace has a loopback only; otherwise a veth pair joins it to the host, which routes
 * and masquerades what the job's nftables table lets through.
 * Whatever a crashed worker left (namespaces, tables, veths) carries its number and is removed when the number is
 * free: at worker start for all of them, and before each number is used again.
 */
public final class NetworkSandboxes {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkSandboxes.class);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final Pattern NAMESPACE =
            Pattern.compile(Pattern.quote(SandboxAddresses.NAMESPACE_PREFIX) + "(\\d+)\\b");
    private static final Pattern TABLE =
            Pattern.compile("table inet " + Pattern.quote(SandboxAddresses.TABLE_PREFIX) + "(\\d+)\\b");

    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Path HOST_INTERFACES = Path.of("/sys/class/net");

    private final RunIsolation isolation;
    private final Path workDir;
    private final ProcessRunner processes = new ProcessRunner();
    private final SandboxNumbers numbers;
    /** One thread at most, and none while there is nothing to remove. */
    private final ExecutorService removal = new ThreadPoolExecutor(
            0,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("sandbox-removal").factory());

    public NetworkSandboxes(RunIsolation isolation, Path workDir) {
        this.isolation = isolation;
        this.workDir = workDir;
        this.numbers = new SandboxNumbers(isolation.lockDir());
    }

    /** The sandbox the job's RUN steps run in; close it when the job is over. */
    NetworkSandbox open() throws JobFailure {
        if (isolation.level() == IsolationLevel.HOST) {
            return NetworkSandbox.host();
        }
        SandboxNumbers.Lease lease = numbers.lease(isolation.subnet().blocks(30));
        SandboxAddresses addresses = new SandboxAddresses(lease.number(), isolation.subnet());
        try {
            removeWhatIsLeft(addresses);
            create(addresses);
            return NetworkSandbox.netns(addresses, isolation, () -> removeLater(addresses, lease));
        } catch (JobFailure | RuntimeException e) {
            remove(addresses, lease);
            throw e;
        }
    }

    /**
     * Removes what crashed workers left: every sandbox whose number no worker holds. Also checks that this host has
     * what the level needs, and turns IPv4 forwarding on when the egress policy lets jobs out.
     */
    public void prepareHost() {
        if (isolation.level() == IsolationLevel.HOST) {
            LOG.warn("ISOLATION LEVEL host: RUN steps of every build run in this worker's own network namespace and "
                    + "reach its loopback, the farm's services and every private network; only for farms whose "
                    + "every Containerfile is trusted (archfarm.isolation.level=netns isolates them)");
            return;
        }
        requireTools();
        Set<Integer> found = new TreeSet<>();
        found.addAll(numbersIn(output(List.of("ip", "netns", "list")), NAMESPACE));
        found.addAll(numbersIn(output(List.of("nft", "list", "tables")), TABLE));
        int removed = 0;
        for (int number : found) {
            SandboxNumbers.Lease lease = numbers.tryLease(number);
            if (lease != null) {
                removeLeftovers(new SandboxAddresses(number, isolation.subnet()));
                lease.release();
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} network sandbox(es) that a stopped worker left", removed);
        }
        if (isolation.egress() != EgressPolicy.NONE) {
            enableForwarding();
        }
        LOG.info(
                "RUN steps are isolated: {}, sandboxes numbered from {}",
                isolation.describe(),
                isolation.sandboxSubnet());
    }

    private void create(SandboxAddresses sandbox) throws JobFailure {
        String ns = sandbox.namespace();
        run(List.of("ip", "netns", "add", ns));
        run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        if (isolation.egress() == EgressPolicy.NONE) {
            return;
        }
        run(List.of(
                "ip",
                "link",
                "add",
                sandbox.hostInterface(),
                "type",
                "veth",
                "peer",
                "name",
                sandbox.jobInterface(),
                "netns",
                ns));
        run(List.of("ip", "-n", ns, "link", "set", sandbox.jobInterface(), "name", "eth0"));
        run(List.of("ip", "-n", ns, "addr", "add", sandbox.jobAddress() + "/30", "dev", "eth0"));
        run(List.of("ip", "-n", ns, "link", "set", "eth0", "up"));
        run(List.of("ip", "addr", "add", sandbox.hostAddress() + "/30", "dev", sandbox.hostInterface()));
        // the filter is in place before the host end comes up, so no packet passes unfiltered
        Path rules = workDir.resolve("nft-" + sandbox.table() + ".conf");
        try {
            Files.createDirectories(workDir);
            Files.writeString(rules, EgressRules.table(sandbox, isolation, resolvedAllowList()));
            run(List.of("nft", "-f", rules.toString()));
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot write the job's nftables rules: " + e);
        } finally {
            deleteQuietly(rules);
        }
        run(List.of("ip", "link", "set", sandbox.hostInterface(), "up"));
        run(List.of("ip", "-n", ns, "route", "add", "default", "via", sandbox.hostAddress()));
    }

    /** The allow-list with its host names resolved now, by the worker; the rules then hold each address. */
    private List<String> resolvedAllowList() {
        List<String> resolved = new ArrayList<>();
        for (String entry : isolation.allow()) {
            AllowedDestination destination = AllowedDestination.parse(entry);
            String port =
                    destination.port().isPresent() ? " " + destination.port().getAsInt() : "";
            if (destination.isNetwork()) {
                resolved.add(Ipv4Network.parse(destination.host()) + port);
                continue;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(destination.host())) {
                    if (address.getAddress().length == 4) {
                        resolved.add(address.getHostAddress() + port);
                    }
                }
            } catch (UnknownHostException e) {
                LOG.warn("allow-list entry {} does not resolve now: the job cannot reach it", entry);
            }
        }
        return resolved;
    }

    private void remove(SandboxAddresses sandbox, SandboxNumbers.Lease lease) {
        removeLeftovers(sandbox);
        lease.release();
    }

    /**
     * Removes the sandbox of a job that is over, off the job's way: its push and result do not wait for the four
     * commands (25–30 ms here). The number stays leased until the sandbox is gone, so no job gets it before; a worker
     * that stops meanwhile leaves it to the next start's {@link #prepareHost()}.
     */
    private void removeLater(SandboxAddresses sandbox, SandboxNumbers.Lease lease) {
        try {
            removal.execute(() -> remove(sandbox, lease));
        } catch (RejectedExecutionException e) {
            remove(sandbox, lease);
        }
    }

    /**
     * Before a number is used again: what its last sandbox left, when anything is there. A sandbox removed as it
     * should be leaves nothing, so this asks the file systems first instead of running the four commands each time;
     * an nftables table exists only under an egress policy that makes one (at start, {@link #prepareHost()} removed
     * those of every other policy).
     */
    private void removeWhatIsLeft(SandboxAddresses sandbox) {
        if (Files.exists(NETNS_DIR.resolve(sandbox.namespace()))
                || Files.exists(HOST_INTERFACES.resolve(sandbox.hostInterface()))
                || isolation.egress() != EgressPolicy.NONE) {
            removeLeftovers(sandbox);
        }
    }

    /** Best effort, and quiet about what is not there: each part may or may not exist. */
    private void removeLeftovers(SandboxAddresses sandbox) {
        killProcessesIn(sandbox);
        quietly(List.of("nft", "delete", "table", "inet", sandbox.table()));
        quietly(List.of("ip", "netns", "delete", sandbox.namespace()));
        // deleting the namespace takes the veth pair with it, unless a process still holds the namespace
        quietly(List.of("ip", "link", "delete", sandbox.hostInterface()));
    }

    /**
     * A RUN step of a killed build, or of a worker that died, may still run in the namespace (runc's container
     * outlives a SIGKILLed buildah): it must not live on, nor keep the namespace and its veth alive.
     */
    private void killProcessesIn(SandboxAddresses sandbox) {
        String pids;
        try {
            pids = output(List.of("ip", "netns", "pids", sandbox.namespace()));
        } catch (IllegalStateException e) {
            return;
        }
        pids.lines()
                .map(String::strip)
                .filter(line -> line.matches("\\d+"))
                .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
                    LOG.info("killing process {} left in network sandbox {}", pid, sandbox.namespace());
                    process.destroyForcibly();
                }));
    }

    private void requireTools() {
        if (!runsAsRoot()) {
            throw new IllegalStateException("isolation level netns needs root (network namespaces, nftables, "
                    + "rootful buildah); or set archfarm.isolation.level=host");
        }
        if (!cgroupsMounted()) {
            throw new IllegalStateException("isolation level netns runs RUN steps with runc, which needs the cgroup "
                    + "file systems mounted and none is in /proc/self/mountinfo (a process started by 'ip netns exec' "
                    + "gets a /sys without them: use 'nsenter --net=...'); or set archfarm.isolation.level=host");
        }
        for (List<String> probe :
                List.of(List.of("ip", "-V"), List.of("nft", "--version"), List.of(isolation.runtime(), "--version"))) {
            try {
                ProcessResult result = execute(probe);
                if (result.succeeded()) {
                    continue;
                }
            } catch (IOException e) {
                // named below
            }
            throw new IllegalStateException("isolation level netns needs '" + probe.getFirst() + "' (Debian "
                    + "packages iproute2, nftables and runc) and root; or set archfarm.isolation.level=host");
        }
    }

    private static boolean cgroupsMounted() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(line -> line.contains(" - cgroup ") || line.contains(" - cgroup2 "));
        } catch (IOException e) {
            return false;
        }
    }

    /** The effective uid from /proc, since the JDK has no portable call for it. */
    private static boolean runsAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private static void enableForwarding() {
        Path forwarding = Path.of("/proc/sys/net/ipv4/ip_forward");
        try {
            if (!Files.readString(forwarding).strip().equals("1")) {
                Files.writeString(forwarding, "1");
                LOG.info("IPv4 forwarding turned on: the jobs' sandboxes reach the outside through this host");
            }
        } catch (IOException e) {
            throw new IllegalStateException("egress needs IPv4 forwarding and " + forwarding + " cannot be set: " + e);
        }
    }

    private static Set<Integer> numbersIn(String listing, Pattern pattern) {
        Set<Integer> numbers = new TreeSet<>();
        Matcher m = pattern.matcher(listing);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private void run(List<String> command) throws JobFailure {
        ProcessResult result;
        try {
            result = execute(command);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot make the job's network sandbox: " + e);
        }
        if (!result.succeeded()) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED,
                    "cannot make the job's network sandbox: " + String.join(" ", command) + " failed: "
                            + result.tail(3));
        }
    }

    private String output(List<String> command) {
        List<String> lines = new ArrayList<>();
        try {
            processes.run(
                    command, Path.of("/"), Map.of(), COMMAND_LIMIT, new JobControl(UUID.randomUUID(), 0), lines::add);
            return String.join("\n", lines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e);
        }
    }

    private void quietly(List<String> command) {
        try {
            execute(command);
        } catch (IOException e) {
            LOG.debug("{}: {}", command, e.toString());
        }
    }

    private ProcessResult execute(List<String> command) throws IOException {
        return processes.run(
                command, Path.of("/"), Map.of(), COMMAND_LIMIT, new JobControl(UUID.randomUUID(), 0), line -> {});
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
