package io.archfarm.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, beside the machine's and never touching it: its own data directory (a
 * temporary one, trust authentication on loopback only), port and socket directory. A fault test kills it with
 * SIGKILL ({@link #kill()}) and starts it again on the same data and port ({@link #restart()}), which the machine's
 * shared server must never go through. It runs as the {@code postgres} system user (the server refuses root), the
 * binaries of the newest PostgreSQL under /usr/lib/postgresql. {@link #close()} stops it and deletes the directory.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final String SYSTEM_USER = "postgres";
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Path bin;
    private final Path dir;
    private final int port;
    private Process process;

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** A new cluster (initdb), started on a free loopback port. */
    public static PrivatePostgres start() throws IOException {
        Path bin = newestBin();
        Path dir = Files.createTempDirectory("archfarm-postgres-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dir.resolve("data");
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        chown(dir);
        PrivatePostgres server = new PrivatePostgres(bin, dir, freePort());
        try {
            run(
                    asPostgres(
                            bin.resolve("initdb").toString(),
                            "--pgdata",
                            data.toString(),
                            "--username",
                            "postgres",
                            "--auth",
                            "trust",
                            "--encoding",
                            "UTF8",
                            "--no-instructions"),
                    dir.resolve("initdb.log"));
            server.launch(sockets);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The JDBC URL of database {@code postgres}; {@link #createDatabase} makes others. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public void createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name " + name + " is not [a-z][a-z0-9_]*");
        }
        try {
            run(
                    asPostgres(
                            bin.resolve("createdb").toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--username",
                            "postgres",
                            name),
                    dir.resolve("createdb.log"));
        } catch (IOException e) {
            throw new IllegalStateException("createdb " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** SIGKILL to the server and every backend, as a crash or an OOM kill would: no shutdown, no checkpoint. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the backends were children of the postmaster: wait until the port is free for the restart
        awaitClosed();
    }

    /** Starts the killed or stopped server again on the same data and port: it recovers from its WAL. */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the private PostgreSQL still runs (pid " + process.pid() + ")");
        }
        launch(dir.resolve("sockets"));
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    private void launch(Path sockets) throws IOException {
        // setpriv execs the server itself, so process is the postmaster and SIGKILL reaches it, not a wrapper
        process = new ProcessBuilder(asPostgres(
                        bin.resolve("postgres").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-p",
                        Integer.toString(port),
                        "-k",
                        sockets.toString(),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "fsync=off",
                        "-c",
                        "max_connections=200"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the private PostgreSQL exited " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the private PostgreSQL does not listen on 127.0.0.1:" + port
                        + " after " + START_TIMEOUT_MILLIS / 1000 + " s; see " + dir.resolve("server.log"));
            }
            pause();
        }
        // listening comes before recovery is over: ready is when it takes a connection
        while (!ready()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the private PostgreSQL is not ready after "
                        + START_TIMEOUT_MILLIS / 1000 + " s; see " + dir.resolve("server.log"));
            }
            pause();
        }
    }

    private boolean ready() {
        try {
            Process check = new ProcessBuilder(
                            bin.resolve("pg_isready").toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--timeout",
                            "2")
                    .redirectErrorStream(true)
                    .start();
            check.getInputStream().readAllBytes();
            return check.waitFor(5, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitClosed() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (accepts() && System.currentTimeMillis() < deadline) {
            pause();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("[archfarm tests] could not delete " + dir + ": " + e);
        }
    }

    private static Path newestBin() throws IOException {
        if (!Files.isDirectory(VERSIONS)) {
            throw new IllegalStateException(VERSIONS + " is missing: install the Debian package postgresql");
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(
                            v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + VERSIONS));
        }
    }

    private static List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>(
                List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups", "--"));
        full.addAll(List.of(command));
        return full;
    }

    private static void chown(Path dir) throws IOException {
        run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, dir.toString()), null);
    }

    private static void run(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (log != null) {
                Files.writeString(log, output);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the private PostgreSQL", e);
        }
    }
}
