package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.testing.GitRepository;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RUN-reach probe (issue 11): a Containerfile FROM the farm's busybox whose RUN step tries a TCP connect to each
 * class of address a build must not reach, and prints one line per target. Level {@code host} first, to prove the
 * probe sees an open port; then level {@code netns} under each egress policy. Every target is one this test opened:
 * a listener on the host's loopback, the test's own PostgreSQL and RabbitMQ, and a namespace it made with a private
 * and a link-local address ({@link ProbeNamespace}).
 */
class RunReachProbeIT {

    private static final Pattern PROBE_LINE = Pattern.compile("probe (\\S+) (\\S+) (reached|blocked)");
    private static final Pattern SANDBOX = Pattern.compile("network namespace (archfarm-sb(\\d+))");

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static ProbeNamespace probe;
    static ServerSocket loopback;
    static GitRepository repository;
    static String commit;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void targetsAndTheBaseImage() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry", "ip", "nft", "runc", "socat");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        // the first run on a machine downloads busybox-static for 5 architectures and builds the index
        ProbeNamespace.run(
                Duration.ofMinutes(10),
                Path.of("..")
                        .toAbsolutePath()
                        .normalize()
                        .resolve("scripts/base-image.sh")
                        .toString(),
                registry.address(),
                "archfarm/busybox");
        probe = ProbeNamespace.create();
        loopback = Listener.open(InetAddress.getLoopbackAddress());
        repository = GitRepository.create(dir.resolve("repo"));
        commit = repository.commit(Map.of("probe/Containerfile", containerfile()));
    }

    @AfterAll
    static void closeTargets() throws Exception {
        if (loopback != null) {
            loopback.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** name → address:port, in the order the probe prints them. */
    static Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("host-loopback", "127.0.0.1:" + loopback.getLocalPort());
        targets.put(
                "postgresql",
                "127.0.0.1:"
                        + URI.create(TestServices.localPostgresUrl().substring(5))
                                .getPort());
        targets.put("rabbitmq", "127.0.0.1:" + TestServices.localAmqpPort());
        targets.put("host-address", probe.hostAddress() + ":" + probe.hostPort());
        targets.put("private", probe.privateAddress() + ":" + ProbeNamespace.PORT);
        targets.put("link-local", probe.linkLocalAddress() + ":" + ProbeNamespace.PORT);
        return targets;
    }

    private static String containerfile() {
        String list = targets().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return "FROM " + registry.address() + "/archfarm/busybox\n"
                + "RUN for t in " + list + "; do name=${t%%=*}; a=${t#*=}; "
                + "if nc -w 2 ${a%:*} ${a##*:} </dev/null >/dev/null 2>&1; then r=reached; else r=blocked; fi; "
                + "echo \"probe $name $a $r\"; done\n";
    }

    @Test
    void withoutIsolationTheProbeReachesEveryTarget() throws Exception {
        Map<String, String> results = probeWith(RunIsolation.host());

        assertThat(results)
                .as(log())
                .containsOnlyKeys(targets().keySet())
                .allSatisfy((target, result) -> assertThat(result).as(target).isEqualTo("reached"));
    }

    @Test
    void inItsOwnNamespaceWithoutEgressItReachesNothing() throws Exception {
        Map<String, String> results = probeWith(netns(EgressPolicy.NONE, List.of()));

        assertThat(results)
                .as(log())
                .containsOnlyKeys(targets().keySet())
                .allSatisfy((target, result) -> assertThat(result).as(target).isEqualTo("blocked"));
        assertSandboxRemoved();
    }

    @Test
    void withEgressOutsideNoInternalAddressIsReached() throws Exception {
        Map<String, String> results = probeWith(netns(EgressPolicy.OUTSIDE, List.of()));

        assertThat(results)
                .as(log())
                .containsOnlyKeys(targets().keySet())
                .allSatisfy((target, result) -> assertThat(result).as(target).isEqualTo("blocked"));
        assertSandboxRemoved();
    }

    /** Proves the way out works, so "blocked" above is the filter's doing, and that the host stays out of reach. */
    @Test
    void aPrivateNetworkTheOperatorAllowsIsReachedAndNothingElse() throws Exception {
        Map<String, String> results = probeWith(netns(EgressPolicy.OUTSIDE, List.of(probe.privateNetwork())));

        assertThat(results)
                .as(log())
                .containsEntry("private", "reached")
                .containsEntry("link-local", "blocked")
                .containsEntry("host-address", "blocked")
                .containsEntry("host-loopback", "blocked")
                .containsEntry("postgresql", "blocked")
                .containsEntry("rabbitmq", "blocked");
        assertSandboxRemoved();
    }

    @Test
    void sandboxesACrashedWorkerLeftAreRemovedAtStart() throws Exception {
        RunIsolation isolation = netns(EgressPolicy.OUTSIDE, List.of());
        SandboxAddresses stale = new SandboxAddresses(16000, isolation.subnet());
        ProbeNamespace.run("ip", "netns", "add", stale.namespace());
        ProbeNamespace.run("nft", "add", "table", "inet", stale.table());
        // a RUN step that outlived its killed build
        Process leftover = new ProcessBuilder("ip", "netns", "exec", stale.namespace(), "sleep", "300").start();

        new NetworkSandboxes(isolation, dir.resolve("sandboxes")).prepareHost();

        assertThat(leftover.waitFor(10, TimeUnit.SECONDS))
                .as("the process left in the sandbox is killed")
                .isTrue();
        assertThat(ProbeNamespace.output("ip", "netns", "list")).doesNotContain(stale.namespace() + " ");
        assertThat(ProbeNamespace.output("nft", "list", "tables")).doesNotContain(stale.table() + "\n");
    }

    private static RunIsolation netns(EgressPolicy egress, List<String> allowPrivate) {
        return new RunIsolation(
                IsolationLevel.NETNS,
                egress,
                null,
                List.of(),
                allowPrivate,
                List.of(),
                "10.231.0.0/16",
                "runc",
                Path.of("/run/archfarm/sandboxes"));
    }

    private Map<String, String> probeWith(RunIsolation isolation) throws Exception {
        Path workDir = dir.resolve("worker-" + UUID.randomUUID());
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        // the detected driver (overlay on this host): RUN steps under runc see the overlay-mounted root
        JobRunner runner = new JobRunner(
                new BuildSettings(
                                "probe-worker",
                                workDir,
                                workDir.resolve("storage"),
                                Duration.ofSeconds(60),
                                true,
                                true,
                                List.of(registry.address()),
                                containersHome)
                        .withStorageDriver(StorageDriverDetection.choose("auto", workDir.resolve("storage"))),
                isolation);
        JobAssignment job = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                commit,
                false,
                "probe/Containerfile",
                "probe",
                Map.of(),
                registry.address() + "/probe/reach",
                600);
        JobFinished finished = runner.run(
                job, ExecutionMode.NATIVE, new JobControl(job.jobId(), 1), new JobLog(job.jobId(), 1, chunks::add));

        assertThat(finished.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(finished.isolation()).isEqualTo(isolation.describe());
        assertThat(log()).contains("isolation: " + isolation.describe());
        Map<String, String> results = new LinkedHashMap<>();
        Matcher m = PROBE_LINE.matcher(log());
        while (m.find()) {
            results.put(m.group(1), m.group(3));
        }
        System.out.printf("RUN-reach probe, %s: %s%n", isolation.describe(), results);
        return results;
    }

    private void assertSandboxRemoved() throws Exception {
        Matcher m = SANDBOX.matcher(log());
        assertThat(m.find()).as("the log names the job's sandbox: " + log()).isTrue();
        String namespace = m.group(1);
        String table = "archfarm_sb" + m.group(2);
        // removed right after the job, off its way: within seconds, not before the result
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(ProbeNamespace.output("ip", "netns", "list"))
                    .doesNotContain(namespace + " ")
                    .doesNotContain(namespace + "\n");
            assertThat(ProbeNamespace.output("nft", "list", "tables")).doesNotContain(table + "\n");
        });
    }

    private String log() {
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }
}
