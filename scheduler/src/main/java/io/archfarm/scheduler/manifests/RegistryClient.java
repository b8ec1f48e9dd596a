package io.archfarm.scheduler.manifests;

import io.archfarm.model.ImageReference;
import io.archfarm.scheduler.RegistryProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The two calls of the OCI distribution API the merge needs, anonymously (no registry credentials yet): read an
 * image manifest by digest, and put a manifest under a digest or a tag. Plain http only for the registries listed in
 * {@code archfarm.registry.insecure}.
 */
@Component
class RegistryClient {

    static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.v2+json";

    private final RegistryProperties properties;
    private final HttpClient http;

    RegistryClient(RegistryProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Reads the manifest {@code digest} and checks that its bytes hash to that digest. */
    IndexEntryFacts manifest(ImageReference image, String digest) throws RegistryException {
        HttpRequest request = HttpRequest.newBuilder(uri(image, digest)).timeout(properties.timeout())
                .header("Accept", MANIFEST_TYPES).GET().build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw new RegistryException("GET " + request.uri() + " answered " + response.statusCode() + ": "
                    + body(response));
        }
        byte[] bytes = response.body();
        String actual = ImageIndex.sha256(bytes);
        if (!actual.equals(digest)) {
            throw new RegistryException("manifest " + image + "@" + digest + " has bytes that hash to " + actual);
        }
        String mediaType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim())
                .orElseThrow(() -> new RegistryException("GET " + request.uri() + " gave no Content-Type"));
        return new IndexEntryFacts(bytes.length, mediaType);
    }

    /** Puts the index under {@code reference} (its digest or a tag) and checks the registry stored those bytes. */
    void putIndex(ImageReference image, String reference, ImageIndex index) throws RegistryException {
        HttpRequest request = HttpRequest.newBuilder(uri(image, reference)).timeout(properties.timeout())
                .header("Content-Type", ImageIndex.MEDIA_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(index.bytes())).build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 201) {
            throw new RegistryException("PUT " + request.uri() + " answered " + response.statusCode() + ": "
                    + body(response));
        }
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (!index.digest().equals(stored)) {
            throw new RegistryException("PUT " + request.uri() + " stored digest " + stored + ", expected "
                    + index.digest());
        }
    }

    private URI uri(ImageReference image, String reference) {
        String scheme = properties.isInsecure(image.registry()) ? "http" : "https";
        return URI.create(scheme + "://" + image.apiHost() + "/v2/" + image.repository() + "/manifests/" + reference);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws RegistryException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(request.method() + " " + request.uri() + " interrupted", e);
        }
    }

    private static String body(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /** Size and media type of a manifest as the registry serves it. */
    record IndexEntryFacts(long size, String mediaType) {
    }
}
