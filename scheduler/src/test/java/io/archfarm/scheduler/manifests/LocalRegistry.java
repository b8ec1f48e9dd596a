package io.archfarm.scheduler.manifests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;
import java.io.ByteArrayOutputStream;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry}) on a free loopback port with its storage in
 * a temporary directory, and a way to push a small real single-platform image to it by digest.
 */
final class LocalRegistry implements AutoCloseable {

    static final String BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final Path root;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalRegistry(Process process, Path root, int port) {
        this.process = process;
        this.root = root;
        this.port = port;
    }

    static LocalRegistry start() throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("the merge test needs the CNCF distribution registry at " + BINARY
                    + " (Debian package docker-registry); it is missing");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path root = Files.createTempDirectory("archfarm-registry");
        Path config = root.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root.resolve("data"), port));
        Process process = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, root, port);
        await("docker-registry answering on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: "
                                + Files.readString(root.resolve("registry.log")));
                    }
                    return registry.answers();
                });
        return registry;
    }

    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    private boolean answers() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + hostAndPort() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Pushes a one-layer OCI image for {@code arch} (a tar holding one text file) and returns its manifest digest. */
    String pushImage(String name, String arch, String variant) throws Exception {
        byte[] tar = tarOf("hello-" + arch + ".txt", "built for " + arch + "\n");
        byte[] layer = gzip(tar);
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
                + ",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha256(tar) + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        uploadBlob(name, layer);
        uploadBlob(name, configBytes);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + sha256(configBytes) + "\",\"size\":" + configBytes.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String digest = sha256(manifestBytes);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + hostAndPort() + "/v2/" + name + "/manifests/" + digest))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IllegalStateException("manifest push answered " + put.statusCode() + ": " + put.body());
        }
        return digest;
    }

    /** GET a manifest with the given Accept header. */
    HttpResponse<byte[]> get(String name, String reference, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(
                        URI.create("http://" + hostAndPort() + "/v2/" + name + "/manifests/" + reference))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void uploadBlob(String name, byte[] blob) throws Exception {
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + hostAndPort() + "/v2/" + name + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new IllegalStateException("blob upload start answered " + start.statusCode() + ": " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI uri = URI.create("http://" + hostAndPort()).resolve(location);
        String put = uri + (uri.getQuery() == null ? "?" : "&") + "digest=" + sha256(blob);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(put))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IllegalStateException("blob upload answered " + done.statusCode() + ": " + done.body());
        }
    }

    private byte[] tarOf(String fileName, String content) throws Exception {
        Path dir = Files.createTempDirectory(root, "layer");
        Files.writeString(dir.resolve(fileName), content);
        Path tar = root.resolve(fileName + ".tar");
        Process tarProcess = new ProcessBuilder("tar", "--mtime=@0", "--owner=0", "--group=0", "-C", dir.toString(),
                "-cf", tar.toString(), fileName).redirectErrorStream(true).start();
        String output = new String(tarProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tarProcess.waitFor() != 0) {
            throw new IllegalStateException("tar failed: " + output);
        }
        return Files.readAllBytes(tar);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
