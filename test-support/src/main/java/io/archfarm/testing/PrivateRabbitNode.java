package io.archfarm.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of the test's own, beside the machine's broker and never touching it: its own node name, ports,
 * Erlang cookie, database, logs and configuration in a temporary directory, with a plain listener and a TLS listener
 * (a server certificate from a CA made for this node with openssl) on one address. RabbitMQ adds listeners only from
 * its configuration at boot, and the shared broker must not be restarted, so a test of {@code amqps://} gets a node
 * like this. It boots in about 10 s; {@link #close()} stops it and deletes the directory.
 */
public final class PrivateRabbitNode implements AutoCloseable {

    private static final String SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static final String CTL = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Map<String, String> environment;
    private Process process;
    private final Path dir;
    private final String address;
    private final int amqpPort;
    private final int amqpsPort;
    private final Rabbitmqctl rabbitmqctl;

    private PrivateRabbitNode(
            Process process,
            Map<String, String> environment,
            Path dir,
            String address,
            int amqpPort,
            int amqpsPort,
            Rabbitmqctl rabbitmqctl) {
        this.process = process;
        this.environment = environment;
        this.dir = dir;
        this.address = address;
        this.amqpPort = amqpPort;
        this.amqpsPort = amqpsPort;
        this.rabbitmqctl = rabbitmqctl;
    }

    /** A node listening on loopback. */
    public static PrivateRabbitNode start() throws IOException {
        return start("127.0.0.1");
    }

    /** A node listening on {@code address} (an IPv4 address of this machine), its certificate naming it. */
    public static PrivateRabbitNode start(String address) throws IOException {
        RequiredTools.require("openssl");
        if (!Files.isExecutable(Path.of(SERVER))) {
            throw new IllegalStateException(SERVER + " is missing: install the Debian/Ubuntu package rabbitmq-server");
        }
        Path dir = Files.createTempDirectory("archfarm-rabbit-");
        String nodeName = "archfarm-test-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        int amqpPort = freePort(address);
        int amqpsPort = freePort(address);
        int distPort = freePort("127.0.0.1");
        Map<String, String> environment = environment(dir, nodeName, amqpPort, distPort);
        writeCertificates(dir, address);
        Files.writeString(
                dir.resolve("rabbitmq.conf"),
                String.join(
                        "\n",
                        "listeners.tcp.default = " + address + ":" + amqpPort,
                        "listeners.ssl.default = " + address + ":" + amqpsPort,
                        "ssl_options.cacertfile = " + dir.resolve("ca.pem"),
                        "ssl_options.certfile = " + dir.resolve("server.pem"),
                        "ssl_options.keyfile = " + dir.resolve("server.key"),
                        "ssl_options.verify = verify_none",
                        "ssl_options.fail_if_no_peer_cert = false",
                        ""));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path cookie = home.resolve(".erlang.cookie");
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        Files.writeString(cookie, HexFormat.of().formatHex(secret).toUpperCase());
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        PrivateRabbitNode node = new PrivateRabbitNode(
                launch(dir, environment),
                environment,
                dir,
                address,
                amqpPort,
                amqpsPort,
                Rabbitmqctl.node(CTL, nodeName, environment));
        try {
            node.awaitListening();
            node.rabbitmqctl.run("await_startup");
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private static Process launch(Path dir, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SERVER)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server.log").toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** SIGKILL to the node (the Erlang VM and what it started), as a crash would: no shutdown of its queues. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while ((accepts(amqpPort) || accepts(amqpsPort)) && System.currentTimeMillis() < deadline) {
            pause();
        }
    }

    /** Starts the killed node again: same name, ports and database, so its durable queues and users are back. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the private RabbitMQ node still runs (pid " + process.pid() + ")");
        }
        process = launch(dir, environment);
        awaitListening();
        rabbitmqctl.run("await_startup");
    }

    private static Map<String, String> environment(Path dir, String nodeName, int amqpPort, int distPort) {
        return Map.ofEntries(
                Map.entry("HOME", dir.resolve("home").toString()),
                // the machine's rabbitmq-env.conf names the machine's node: this one reads an empty file instead
                Map.entry(
                        "RABBITMQ_CONF_ENV_FILE",
                        dir.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_NODENAME", nodeName),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(amqpPort)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry(
                        "RABBITMQ_ENABLED_PLUGINS_FILE",
                        dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString()),
                Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"));
    }

    private static void writeCertificates(Path dir, String address) throws IOException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:" + address + "\n");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=archfarm test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=" + address,
                "-keyout",
                "server.key",
                "-out",
                "server.csr");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem");
    }

    private static void openssl(Path dir, String... arguments) throws IOException {
        Process openssl = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(arguments))
                        .toList())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(openssl.getInputStream().readAllBytes());
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates", e);
        }
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!accepts(amqpsPort)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the private RabbitMQ node exited " + process.exitValue() + "; see "
                        + dir.resolve("server.log") + " and " + dir.resolve("log"));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the private RabbitMQ node does not listen on " + address + ":"
                        + amqpsPort + " after " + START_TIMEOUT_MILLIS / 1000 + " s; see " + dir.resolve("log"));
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the private RabbitMQ node", e);
        }
    }

    private boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String address() {
        return address;
    }

    public int amqpPort() {
        return amqpPort;
    }

    public int amqpsPort() {
        return amqpsPort;
    }

    /** The CA (PEM) that signed the node's server certificate: what a client trusts. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** {@code rabbitmqctl} for this node, e.g. for {@link FarmBroker#create}. */
    public Rabbitmqctl rabbitmqctl() {
        return rabbitmqctl;
    }

    /** Stops the node, waits for it to exit, and deletes its directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                rabbitmqctl.run("stop");
            } catch (RuntimeException e) {
                System.err.println("[archfarm tests] " + e.getMessage());
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("[archfarm tests] could not delete " + dir + ": " + e);
        }
    }
}
