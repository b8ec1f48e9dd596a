package io.archfarm.scheduler.manifests;

import io.archfarm.testing.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Small real single-platform images pushed by digest, standing in for what workers push: the merge reads them back
 * from the registry, so they must be genuine OCI images, yet building them with buildah would make the test slow.
 */
final class PushedImages {

    private PushedImages() {}

    /** Pushes a one-layer OCI image for {@code arch} (a tar holding one text file) and returns its manifest digest. */
    static String push(LocalRegistry registry, String name, String arch, String variant) throws Exception {
        byte[] tar = tarOf("hello-" + arch + ".txt", "built for " + arch + "\n");
        byte[] layer = gzip(tar);
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
                + ",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha256(tar) + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        uploadBlob(registry, name, layer);
        uploadBlob(registry, name, configBytes);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + LocalRegistry.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + sha256(configBytes) + "\",\"size\":" + configBytes.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String digest = sha256(manifestBytes);
        HttpResponse<String> put = registry.send(
                registry.request("/v2/" + name + "/manifests/" + digest)
                        .header("Content-Type", LocalRegistry.OCI_MANIFEST)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IllegalStateException("manifest push answered " + put.statusCode() + ": " + put.body());
        }
        return digest;
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void uploadBlob(LocalRegistry registry, String name, byte[] blob) throws Exception {
        HttpResponse<String> start = registry.send(
                registry.request("/v2/" + name + "/blobs/uploads/")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new IllegalStateException("blob upload start answered " + start.statusCode() + ": " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI uri = registry.request("/").build().uri().resolve(location);
        String put = uri.getRawPath() + "?" + (uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&") + "digest="
                + sha256(blob);
        HttpResponse<String> done = registry.send(
                registry.request(put)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IllegalStateException("blob upload answered " + done.statusCode() + ": " + done.body());
        }
    }

    /** With GNU tar and fixed times and owners, so the same content always gives the same layer digest. */
    private static byte[] tarOf(String fileName, String content) throws Exception {
        Path dir = Files.createTempDirectory("archfarm-layer");
        try {
            Files.createDirectories(dir.resolve("content"));
            Files.writeString(dir.resolve("content").resolve(fileName), content);
            Path tar = dir.resolve("layer.tar");
            Process process = new ProcessBuilder(
                            "tar",
                            "--mtime=@0",
                            "--owner=0",
                            "--group=0",
                            "-C",
                            dir.resolve("content").toString(),
                            "-cf",
                            tar.toString(),
                            fileName)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("tar failed: " + output);
            }
            return Files.readAllBytes(tar);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
