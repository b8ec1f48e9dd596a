package io.archfarm.model.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the containers tools look for their auth file ({@code containers-auth.json(5)}), so that the scheduler and
 * the workers find the same credentials buildah, skopeo and podman on that host use: {@code REGISTRY_AUTH_FILE},
 * else {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json}, and Docker's
 * {@code ~/.docker/config.json}.
 */
public final class AuthFiles {

    private AuthFiles() {}

    /** The places in the order the tools read them. */
    public static List<Path> candidates(Map<String, String> environment, Path home) {
        List<Path> paths = new ArrayList<>();
        String explicit = environment.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return List.of(Path.of(explicit));
        }
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            paths.add(Path.of(runtime, "containers", "auth.json"));
        }
        paths.add(home.resolve(".config/containers/auth.json"));
        paths.add(home.resolve(".docker/config.json"));
        return paths;
    }

    /** The configured file, or the first of the {@link #candidates} that exists. */
    public static Optional<Path> locate(@Nullable Path configured, Map<String, String> environment, Path home) {
        if (configured != null) {
            return Optional.of(configured);
        }
        return candidates(environment, home).stream()
                .filter(Files::isRegularFile)
                .findFirst();
    }
}
