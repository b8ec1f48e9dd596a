package io.archfarm.e2e;

import io.archfarm.testing.ImageLayers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Just enough of the OCI distribution API to check what the farm pushed, with plain http. */
final class RegistryClient {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String ACCEPT = String.join(
            ", ",
            OCI_INDEX,
            OCI_MANIFEST,
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    /** A manifest exactly as served: its bytes, the media type and digest the registry states. */
    record Manifest(String mediaType, String digest, byte[] bytes) {
        JsonNode json() {
            return Http.json(bytes);
        }

        String computedDigest() {
            return sha256(bytes);
        }
    }

    private final String hostPort;

    RegistryClient(String hostPort) {
        this.hostPort = hostPort;
    }

    Manifest manifest(String repository, String reference) {
        HttpResponse<byte[]> response =
                Http.send(Http.get(url(repository, "manifests/" + reference)).header("Accept", ACCEPT));
        if (response.statusCode() != 200) {
            throw new AssertionError("registry " + hostPort + " has no manifest " + repository + ":" + reference + " ("
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8) + ")");
        }
        return new Manifest(
                response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Docker-Content-Digest").orElse(""),
                response.body());
    }

    /** Puts a manifest (or an index) under a tag, as a push does once the blobs it names are there. */
    void putManifest(String repository, String tag, String mediaType, byte[] manifest) {
        HttpResponse<byte[]> response =
                Http.send(HttpRequest.newBuilder(URI.create(url(repository, "manifests/" + tag)))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        if (response.statusCode() != 201) {
            throw new AssertionError("registry " + hostPort + " refused " + repository + ":" + tag + " ("
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8) + ")");
        }
    }

    /** The tags of a repository; empty when the registry does not know the repository at all. */
    List<String> tags(String repository) {
        HttpResponse<byte[]> response = Http.send(Http.get(url(repository, "tags/list")));
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("tags/list of " + repository + " answered " + response.statusCode());
        }
        JsonNode tags = Http.json(response.body()).path("tags");
        return tags.isArray() ? tags.valueStream().map(JsonNode::asString).toList() : List.of();
    }

    byte[] blob(String repository, String digest) {
        HttpResponse<byte[]> response = Http.send(Http.get(url(repository, "blobs/" + digest)));
        if (response.statusCode() != 200) {
            throw new AssertionError("registry has no blob " + digest + " in " + repository);
        }
        if (!sha256(response.body()).equals(digest)) {
            throw new AssertionError("blob " + digest + " of " + repository + " does not hash to its digest");
        }
        return response.body();
    }

    /** The content of a file in an image, read from its layers (the last layer holding it wins). */
    Optional<String> readFile(String repository, String manifestDigest, String path) {
        return readFileBytes(repository, manifestDigest, path).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    Optional<byte[]> readFileBytes(String repository, String manifestDigest, String path) {
        JsonNode manifest = manifest(repository, manifestDigest).json();
        List<ImageLayers.Layer> layers = manifest.path("layers")
                .valueStream()
                .map(layer -> new ImageLayers.Layer(
                        blob(repository, layer.path("digest").asString()),
                        layer.path("mediaType").asString()))
                .toList();
        return ImageLayers.file(layers, path);
    }

    private String url(String repository, String rest) {
        return "http://" + hostPort + "/v2/" + repository + "/" + rest;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
