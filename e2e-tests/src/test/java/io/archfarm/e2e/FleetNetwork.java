package io.archfarm.e2e;

import io.archfarm.testing.RequiredTools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on this machine: one network namespace per worker host, each joined by a veth pair to a bridge of the
 * test's own, which carries the control plane's address. A process started in a host namespace reaches only what
 * listens on the bridge address (the broker, the registry, the git daemon), never this machine's loopback, as a
 * worker on another machine would. Every name carries a random id and every address is in 10.213.0.0/16 on links the
 * test made; {@link #close()} deletes the namespaces and the bridge.
 */
final class FleetNetwork implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String subnet;
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridgeMade;

    private FleetNetwork(String id, String subnet) {
        this.id = id;
        this.subnet = subnet;
    }

    /** A bridge with the control plane's address and {@code hosts} namespaces on it. */
    static FleetNetwork create(int hosts) {
        RequiredTools.require("ip");
        byte[] random = new byte[2];
        RANDOM.nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        String routes = run(List.of("ip", "-4", "route", "show"));
        String subnet = null;
        for (int i = 0; i < 250 && subnet == null; i++) {
            String candidate = "10.213." + (1 + (Byte.toUnsignedInt(random[0]) + i) % 250);
            if (!routes.contains(candidate + ".")) {
                subnet = candidate;
            }
        }
        if (subnet == null) {
            throw new IllegalStateException("every 10.213.x.0/24 is routed on this machine already");
        }
        FleetNetwork network = new FleetNetwork(id, subnet);
        try {
            network.ip("link", "add", network.bridge(), "type", "bridge");
            network.bridgeMade = true;
            network.ip("addr", "add", network.controlAddress() + "/24", "dev", network.bridge());
            network.ip("link", "set", network.bridge(), "up");
            for (int host = 1; host <= hosts; host++) {
                network.addHost(host);
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Where the control plane listens for the hosts: the bridge's address, reachable from this machine too. */
    String controlAddress() {
        return subnet + ".1";
    }

    /** The name of host {@code n}'s namespace (1-based). */
    String namespace(int host) {
        return namespaces.get(host - 1);
    }

    /** Host {@code n}'s own address. */
    String hostAddress(int host) {
        return subnet + "." + (10 + host);
    }

    /**
     * {@code command} as it runs inside host {@code n}: in its network namespace only. Not {@code ip netns exec},
     * which also mounts a fresh /sys without the cgroup mounts, where runc (a worker's RUN steps, isolation level
     * netns) cannot create a container; a real host has them.
     */
    List<String> inHost(int host, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace(host), "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The TCP sockets listening inside host {@code n}, as {@code ss -ltnH} prints them. */
    List<String> listeningIn(int host) {
        return run(inHost(host, List.of("ss", "-ltnH")))
                .lines()
                .filter(line -> !line.isBlank())
                .toList();
    }

    private void addHost(int host) {
        String namespace = "af" + id + "-" + host;
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        String outside = "afv" + id + host;
        String inside = "afp" + id + host;
        ip("link", "add", outside, "type", "veth", "peer", "name", inside);
        ip("link", "set", inside, "netns", namespace);
        ip("link", "set", outside, "master", bridge(), "up");
        ip("-n", namespace, "addr", "add", hostAddress(host) + "/24", "dev", inside);
        ip("-n", namespace, "link", "set", inside, "up");
        ip("-n", namespace, "link", "set", "lo", "up");
    }

    private String bridge() {
        return "afbr" + id;
    }

    private void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + output.strip() + " (network namespaces need root)");
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    /** Deletes the namespaces (their veth ends go with them) and the bridge; what is already gone is skipped. */
    @Override
    public void close() {
        for (String namespace : namespaces) {
            quietly(List.of("ip", "netns", "del", namespace));
        }
        namespaces.clear();
        if (bridgeMade) {
            quietly(List.of("ip", "link", "del", bridge()));
            bridgeMade = false;
        }
    }

    private static void quietly(List<String> command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            System.err.println("[archfarm e2e] " + e.getMessage());
        }
    }
}
