package io.archfarm.e2e;

import io.archfarm.testing.Rabbitmqctl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A RabbitMQ cluster of three nodes made by {@code scripts/rabbitmq-cluster.sh} for one test: node names unique to
 * the run, AMQP and Erlang distribution ports that were free, data and logs in a directory of its own. The machine's
 * RabbitMQ is not touched. {@link #close()} stops the nodes (SIGKILL for any that will not stop) and deletes the
 * directory, also after a failed start.
 */
final class RabbitCluster implements AutoCloseable {

    static final int NODES = 3;
    private static final String CTL = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static final int PORT_TRIES = 50;

    private final Path dir;
    private final String namePrefix;
    private final int amqpBasePort;
    private final int distBasePort;
    private final Path logDir;
    private final Path script;
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "rabbit-cluster-shutdown");

    private RabbitCluster(Path dir, String namePrefix, int amqpBasePort, int distBasePort, Path logDir) {
        this.dir = dir;
        this.namePrefix = namePrefix;
        this.amqpBasePort = amqpBasePort;
        this.distBasePort = distBasePort;
        this.logDir = logDir;
        this.script = Farm.repositoryRoot().resolve("scripts/rabbitmq-cluster.sh");
    }

    /** Starts the three nodes and waits, through the script, until each sees all three running. */
    static RabbitCluster start(Path logDir) {
        Path dir;
        try {
            dir = Files.createTempDirectory("archfarm-rabbit-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the cluster's directory", e);
        }
        int amqp = threeFreePorts(-1);
        RabbitCluster cluster = new RabbitCluster(
                dir,
                "archfarm-e2e-" + UUID.randomUUID().toString().substring(0, 6) + "-n",
                amqp,
                threeFreePorts(amqp),
                logDir);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.run(240, "start");
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The farm's {@code spring.rabbitmq.addresses}: every node, node 1 first. */
    String addresses() {
        return IntStream.rangeClosed(1, NODES)
                .mapToObj(n -> "amqp://127.0.0.1:" + amqpPort(n))
                .collect(Collectors.joining(","));
    }

    int amqpPort(int node) {
        return amqpBasePort + node - 1;
    }

    String nodeName(int node) {
        return namePrefix + node + "@localhost";
    }

    /** The node (1..3) whose AMQP port is {@code port}. */
    int nodeOfPort(int port) {
        int node = port - amqpBasePort + 1;
        if (node < 1 || node > NODES) {
            throw new IllegalArgumentException("port " + port + " is no node's of this cluster (" + addresses() + ")");
        }
        return node;
    }

    /** rabbitmqctl against node {@code node}, with the cluster's cookie. */
    Rabbitmqctl rabbitmqctl(int node) {
        return Rabbitmqctl.node(
                CTL,
                nodeName(node),
                Map.of(
                        "HOME",
                        dir.resolve("home").toString(),
                        "RABBITMQ_CONF_ENV_FILE",
                        dir.resolve("rabbitmq-env.conf").toString()));
    }

    /** SIGKILL of node {@code node}'s Erlang VM, as when its host dies. */
    void kill(int node) {
        run(60, "kill", Integer.toString(node));
    }

    /** Starts node {@code node} again and waits until all three run in the cluster. */
    void restart(int node) {
        run(240, "restart", Integer.toString(node));
    }

    private void run(long timeoutSeconds, String... arguments) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(arguments));
        String name = "rabbitmq-cluster-" + String.join("-", arguments);
        FarmProcess.start(
                        name,
                        command,
                        Map.of(
                                "ARCHFARM_RABBITMQ_CLUSTER_DIR", dir.toString(),
                                "ARCHFARM_RABBITMQ_CLUSTER_PORT", Integer.toString(amqpBasePort),
                                "ARCHFARM_RABBITMQ_CLUSTER_DIST_PORT", Integer.toString(distBasePort),
                                "ARCHFARM_RABBITMQ_CLUSTER_NAME", namePrefix,
                                "ARCHFARM_RABBITMQ_CLUSTER_TIMEOUT", Long.toString(timeoutSeconds - 20)),
                        logDir)
                .awaitSuccess(timeoutSeconds);
    }

    /** Stops every node (the script SIGKILLs one that does not stop in 60 s) and deletes the directory. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void stopAndDelete() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            run(240, "stop");
        } catch (RuntimeException e) {
            System.err.println("[archfarm e2e] stopping the RabbitMQ cluster in " + dir + " failed: " + e.getMessage());
            killLeftNodes();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("[archfarm e2e] could not delete " + dir + ": " + e);
        }
    }

    /** The last resort when the script could not stop them: every node's pid file names its VM. */
    private void killLeftNodes() {
        for (int node = 1; node <= NODES; node++) {
            Path pidFile = dir.resolve("node" + node).resolve("rabbitmq.pid");
            try {
                if (Files.isRegularFile(pidFile)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                            .filter(p -> p.info().command().orElse("").contains("beam"))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("[archfarm e2e] cannot read " + pidFile + ": " + e);
            }
        }
    }

    /** A port p such that p, p + 1 and p + 2 are free on loopback, and none of them is within 3 of {@code other}. */
    private static int threeFreePorts(int other) {
        for (int attempt = 0; attempt < PORT_TRIES; attempt++) {
            int base = FreePorts.next();
            if (base + 2 > 65535 || (other > 0 && Math.abs(base - other) < NODES)) {
                continue;
            }
            if (free(base + 1) && free(base + 2)) {
                return base;
            }
        }
        throw new IllegalStateException("no three consecutive free loopback ports after " + PORT_TRIES + " tries");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
