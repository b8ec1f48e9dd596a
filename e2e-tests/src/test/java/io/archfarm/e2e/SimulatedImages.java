package io.archfarm.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The images a simulated fleet reports as built: one real single-platform image per platform, the farm's own busybox
 * base image ({@link Farm#BASE_IMAGE}), put once into every repository the simulated builds publish to. The blobs
 * are mounted across repositories (no upload) and the manifest is pushed by digest, so that the scheduler's merge
 * reads genuine manifests and the registry accepts the index it pushes.
 */
final class SimulatedImages {

    /** One image as a worker reports it in its result. */
    record Image(String digest, long size, String mediaType) {}

    private SimulatedImages() {}

    /** Puts the base image of each platform into each repository; the images by platform ({@code linux/arm64}). */
    static Map<String, Image> pushOnce(String registry, List<String> platforms, List<String> repositories) {
        RegistryClient client = new RegistryClient(registry);
        RegistryClient.Manifest index = client.manifest(Farm.BASE_IMAGE, "latest");
        Map<String, Image> images = new LinkedHashMap<>();
        for (String platform : platforms) {
            JsonNode entry = entryOf(index.json(), platform);
            String digest = entry.path("digest").asString();
            RegistryClient.Manifest manifest = client.manifest(Farm.BASE_IMAGE, digest);
            for (String repository : repositories) {
                for (String blob : blobsOf(manifest.json())) {
                    mount(registry, repository, blob);
                }
                client.putManifest(repository, digest, manifest.mediaType(), manifest.bytes());
            }
            images.put(platform, new Image(digest, manifest.bytes().length, manifest.mediaType()));
        }
        return images;
    }

    private static JsonNode entryOf(JsonNode index, String platform) {
        for (JsonNode entry : index.path("manifests")) {
            JsonNode p = entry.path("platform");
            String name = p.path("os").asString() + "/" + p.path("architecture").asString()
                    + (p.path("variant").isMissingNode()
                            ? ""
                            : "/" + p.path("variant").asString());
            if (name.equals(platform)) {
                return entry;
            }
        }
        throw new AssertionError("the base image " + Farm.BASE_IMAGE + " has no " + platform + ": " + index);
    }

    private static List<String> blobsOf(JsonNode manifest) {
        List<String> blobs = new ArrayList<>();
        blobs.add(manifest.path("config").path("digest").asString());
        manifest.path("layers").forEach(layer -> blobs.add(layer.path("digest").asString()));
        return blobs;
    }

    /** A cross-repository blob mount: 201 when the registry linked the blob, which it has under the base image. */
    private static void mount(String registry, String repository, String blob) {
        HttpResponse<byte[]> response = Http.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"
                        + repository + "/blobs/uploads/?mount=" + blob + "&from=" + Farm.BASE_IMAGE))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 201) {
            throw new AssertionError("registry " + registry + " did not mount " + blob + " into " + repository + " ("
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8) + ")");
        }
    }
}
