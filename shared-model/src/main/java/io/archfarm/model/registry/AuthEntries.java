package io.archfarm.model.registry;

import io.archfarm.model.ImageReference;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code auths} of a containers auth file ({@code containers-auth.json(5)}, what buildah, skopeo and podman
 * read), keyed as those tools key it: {@code host[:port]} or {@code host[:port]/namespace[/repository]}. For an image
 * the most specific key wins, as in those tools, so one file can hold a robot account for a single repository next
 * to a user for the rest of its registry. Docker's legacy {@code https://host/v1/} keys match their host, and
 * {@code https://index.docker.io/v1/} (what {@code docker login} writes for Docker Hub) matches {@code docker.io}.
 */
public final class AuthEntries {

    private static final String DOCKER_HUB_LEGACY_HOST = "index.docker.io";

    private final Map<String, String> auths;

    /** @param auths key → base64 of user:secret */
    public AuthEntries(Map<String, String> auths) {
        this.auths = Map.copyOf(auths);
    }

    public Optional<RegistryCredential> lookup(ImageReference image) {
        String path = image.registry() + "/" + image.repository();
        while (true) {
            String auth = find(path);
            if (auth != null) {
                return Optional.of(RegistryCredential.fromBasic(image.registry(), auth));
            }
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            path = path.substring(0, slash);
        }
    }

    private @Nullable String find(String key) {
        String auth = auths.get(key);
        if (auth == null && !key.contains("/")) {
            auth = legacy(key);
            if (auth == null && key.equals(ImageReference.DOCKER_HUB)) {
                auth = legacy(DOCKER_HUB_LEGACY_HOST);
            }
        }
        return auth == null || auth.isBlank() ? null : auth;
    }

    private @Nullable String legacy(String host) {
        String auth = auths.get("https://" + host);
        return auth != null ? auth : auths.get("https://" + host + "/v1/");
    }
}
