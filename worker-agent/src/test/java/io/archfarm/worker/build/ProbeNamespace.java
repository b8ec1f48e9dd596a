package io.archfarm.worker.build;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace this test makes to stand for "another host on an internal network": a veth pair to the host
 * namespace, a private address (10.213.n.2) and a link-local one (169.254.n.2) inside with a TCP listener on both, and
 * a listener on the host's own end (10.213.n.1). Every address here is one the test assigned; nothing else is
 * connected to. Closing it deletes the namespace (and with it the veth pair).
 */
final class ProbeNamespace implements AutoCloseable {

    static final int PORT = 7777;

    private final String name;
    private final int octet;
    private final Process listener;
    private final ServerSocket hostEnd;

    private ProbeNamespace(String name, int octet, Process listener, ServerSocket hostEnd) {
        this.name = name;
        this.octet = octet;
        this.listener = listener;
        this.hostEnd = hostEnd;
    }

    static ProbeNamespace create() throws IOException, InterruptedException {
        int octet = ThreadLocalRandom.current().nextInt(64, 192);
        String name = "afprobe" + octet;
        String host = "afpr" + octet + "h";
        String inside = "afpr" + octet + "n";
        run("ip", "netns", "add", name);
        try {
            run("ip", "link", "add", host, "type", "veth", "peer", "name", inside, "netns", name);
            run("ip", "-n", name, "link", "set", "lo", "up");
            run("ip", "-n", name, "addr", "add", "10.213." + octet + ".2/30", "dev", inside);
            run("ip", "-n", name, "addr", "add", "169.254." + octet + ".2/30", "dev", inside);
            run("ip", "-n", name, "link", "set", inside, "up");
            run("ip", "addr", "add", "10.213." + octet + ".1/30", "dev", host);
            run("ip", "addr", "add", "169.254." + octet + ".1/30", "dev", host);
            run("ip", "link", "set", host, "up");
            Process listener = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            name,
                            "socat",
                            "TCP-LISTEN:" + PORT + ",fork,reuseaddr",
                            "EXEC:/bin/true")
                    .redirectErrorStream(true)
                    .start();
            ServerSocket hostEnd = Listener.open(InetAddress.getByName("10.213." + octet + ".1"));
            ProbeNamespace probe = new ProbeNamespace(name, octet, listener, hostEnd);
            probe.awaitListening();
            return probe;
        } catch (IOException | RuntimeException e) {
            new ProcessBuilder("ip", "netns", "delete", name).start().waitFor();
            throw e;
        }
    }

    String privateAddress() {
        return "10.213." + octet + ".2";
    }

    String linkLocalAddress() {
        return "169.254." + octet + ".2";
    }

    /** The host's own end of the pair: an address of the worker host that is not loopback. */
    String hostAddress() {
        return "10.213." + octet + ".1";
    }

    int hostPort() {
        return hostEnd.getLocalPort();
    }

    String privateNetwork() {
        return "10.213." + octet + ".0/30";
    }

    /** The listener inside answers before a probe relies on it. */
    private void awaitListening() {
        await("the listener in " + name)
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(privateAddress(), PORT), 1000);
                        return true;
                    }
                });
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.destroy();
        listener.waitFor(5, TimeUnit.SECONDS);
        hostEnd.close();
        run("ip", "netns", "delete", name);
    }

    static void run(String... command) throws IOException, InterruptedException {
        run(Duration.ofSeconds(30), command);
    }

    /** Runs a command to its end within {@code limit} (killed after it), and fails with its output if it fails. */
    static void run(Duration limit, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("probe-command", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            if (!ended || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command)
                        + (ended ? " failed: " : " took over " + limit + ": ")
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static String output(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
