package io.archfarm.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real CNCF distribution registry ({@code docker-registry}) on a free loopback port: plain http and anonymous, or
 * {@link #startSecured secured} with TLS from a test CA and htpasswd logins, as a team's registry is. The tests talk
 * to the real thing rather than a fake because what they check is exactly what a real registry accepts and serves.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private static final long START_TIMEOUT_MILLIS = 30_000;

    private volatile Process process;
    private final Path config;
    private final String address;
    private final Path dataDir;
    private final Path log;
    private final Path temporaryDir;
    private final Security security;
    private final HttpClient http;

    /** What a secured registry adds: its certificates, a certs.d root for clients, and the test's login. */
    public record Security(TestCertificates certificates, Path certsDir, String username, String password) {}

    private LocalRegistry(
            Process process, Path config, String address, Path dataDir, Path log, Path temporaryDir, Security security)
            throws IOException {
        this.process = process;
        this.config = config;
        this.address = address;
        this.dataDir = dataDir;
        this.log = log;
        this.temporaryDir = temporaryDir;
        this.security = security;
        this.http = security == null
                ? HttpClient.newHttpClient()
                : HttpClient.newBuilder()
                        .sslContext(trusting(security.certificates().ca()))
                        .build();
    }

    /**
     * A registry with TLS (a certificate for 127.0.0.1 from a CA of its own) that lets only {@code username} in,
     * with HTTP Basic against an htpasswd file, storing into a temporary directory that {@link #close()} deletes.
     * {@link Security#certsDir()} is a {@code certs.d} root holding the CA under this registry's address, as the
     * containers tools and the scheduler read it.
     */
    public static LocalRegistry startSecured(String username, String password) throws IOException {
        return startSecured(username, password, "127.0.0.1");
    }

    /** As {@link #startSecured(String, String)}, listening on {@code ip}, which its certificate names. */
    public static LocalRegistry startSecured(String username, String password, String ip) throws IOException {
        RequiredTools.require("htpasswd");
        Path dir = Files.createTempDirectory("archfarm-registry-secured");
        TestCertificates certificates = TestCertificates.make(dir.resolve("tls"), ip);
        Path htpasswd = dir.resolve("htpasswd");
        Process hash = new ProcessBuilder("htpasswd", "-B", "-i", "-c", htpasswd.toString(), username)
                .redirectErrorStream(true)
                .start();
        hash.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        hash.getOutputStream().close();
        try {
            if (!hash.waitFor(60, TimeUnit.SECONDS) || hash.exitValue() != 0) {
                throw new IOException(
                        "htpasswd failed: " + new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running htpasswd", e);
        }
        String tlsAndAuth = "  tls:\n    certificate: " + certificates.cert() + "\n    key: " + certificates.key()
                + "\nauth:\n  htpasswd:\n    realm: archfarm-test\n    path: " + htpasswd + "\n";
        return start(
                ip,
                dir,
                dir.resolve("data"),
                false,
                dir.resolve("registry.log"),
                dir,
                tlsAndAuth,
                address -> new Security(certificates, certsDir(dir, address, certificates), username, password));
    }

    private static Path certsDir(Path dir, String address, TestCertificates certificates) {
        try {
            Path certsDir = dir.resolve("certs.d");
            Files.createDirectories(certsDir.resolve(address));
            Files.copy(certificates.ca(), certsDir.resolve(address).resolve("ca.crt"));
            return certsDir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the registry's certs.d: " + e.getMessage(), e);
        }
    }

    /** A registry storing into a temporary directory that {@link #close()} deletes. */
    public static LocalRegistry start() throws IOException {
        Path dir = Files.createTempDirectory("archfarm-registry");
        return start(dir, dir.resolve("registry.log"), dir);
    }

    /** A registry storing into {@code dir}, which stays for a look after the test; it logs to dir/registry.log. */
    public static LocalRegistry start(Path dir) throws IOException {
        return start(dir, dir.resolve("registry.log"));
    }

    /** As {@link #start(Path)}, logging to {@code log}, for tests that gather all their logs in one place. */
    public static LocalRegistry start(Path dir, Path log) throws IOException {
        return start(dir, log, null);
    }

    private static LocalRegistry start(Path dir, Path log, Path temporaryDir) throws IOException {
        return start(dir, dir.resolve("data"), false, log, temporaryDir);
    }

    /**
     * A second registry serving this one's storage in the registry's own read-only maintenance mode: it serves
     * every manifest and blob this one holds and refuses every push, as a registry does that one may read but
     * not write to.
     */
    public LocalRegistry readOnlyTwin() throws IOException {
        Path dir = Files.createTempDirectory("archfarm-registry-readonly");
        return start(dir, dataDir, true, dir.resolve("registry.log"), dir);
    }

    private static LocalRegistry start(Path dir, Path dataDir, boolean readOnly, Path log, Path temporaryDir)
            throws IOException {
        return start("127.0.0.1", dir, dataDir, readOnly, log, temporaryDir, "", address -> null);
    }

    private static LocalRegistry start(
            String ip,
            Path dir,
            Path dataDir,
            boolean readOnly,
            Path log,
            Path temporaryDir,
            String extraConfig,
            Function<String, Security> security)
            throws IOException {
        RequiredTools.require("docker-registry");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
            port = socket.getLocalPort();
        }
        String address = ip + ":" + port;
        Files.createDirectories(dir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    readonly:
                      enabled: %s
                http:
                  addr: %s
                """.formatted(dataDir, readOnly, address) + extraConfig);
        Process process = serve(config, log);
        LocalRegistry registry =
                new LocalRegistry(process, config, address, dataDir, log, temporaryDir, security.apply(address));
        registry.awaitAnswering();
        return registry;
    }

    private static Process serve(Path config, Path log) throws IOException {
        return new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /**
     * Kills the registry with SIGKILL, as a crash does: its address refuses connections from then on, its storage
     * stays for {@link #restart()}.
     */
    public void kill() {
        Process running = process;
        running.destroyForcibly();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("docker-registry on " + address + " did not die within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing docker-registry", e);
        }
    }

    /** Starts the registry again after {@link #kill()}, on the same address with the same storage. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("docker-registry on " + address + " is still running");
        }
        process = serve(config, log);
        awaitAnswering();
    }

    private void awaitAnswering() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!answers()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                String why = process.isAlive()
                        ? "did not answer on " + address + " within " + START_TIMEOUT_MILLIS / 1000 + "s"
                        : "exited with " + process.exitValue();
                close();
                throw new IllegalStateException("docker-registry " + why + "; its log " + log + ":\n" + logText());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while starting docker-registry", e);
            }
        }
    }

    /** host:port, as in an image reference. */
    public String address() {
        return address;
    }

    /** The file the registry logs to, for failure reports. */
    public Path log() {
        return log;
    }

    /** The TLS and login of a {@link #startSecured secured} registry; null for a plain one. */
    public Security security() {
        return security;
    }

    /** A request to {@code path} (from {@code /v2/} on) with this registry's scheme and, if secured, its login. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create((security == null ? "http" : "https") + "://" + address + path));
        if (security != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((security.username() + ":" + security.password())
                                            .getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    /** Sends a request of {@link #request}, over this registry's TLS when it is secured. */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request, body);
    }

    private static SSLContext trusting(Path ca) throws IOException {
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + ca + ": " + e.getMessage(), e);
        }
    }

    /** GET {@code path} (from {@code /v2/} on), to check what a push really left there; {@code accept} may be null. */
    public HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private boolean answers() {
        try {
            return get("/v2/", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String logText() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    /** Stops the registry (forcibly if it lingers) and deletes a temporary directory of {@link #start()}. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (temporaryDir != null) {
            try (Stream<Path> files = Files.walk(temporaryDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("[archfarm tests] could not delete " + temporaryDir + ": " + e);
            }
        }
    }
}
