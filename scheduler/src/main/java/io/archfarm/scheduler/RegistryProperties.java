package io.archfarm.scheduler;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.registry.*}: how the scheduler reaches registries, in the configuration the containers tools read.
 *
 * @param insecure  registries ({@code host:port}) spoken to over plain http; every other one over https, verified
 * @param timeout   one request to a registry
 * @param authFile  a containers auth file ({@code containers-auth.json(5)}) with the farm's own registry
 *                  credentials; unset: {@code REGISTRY_AUTH_FILE}, else the first of
 *                  {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json} and
 *                  {@code ~/.docker/config.json} that exists, as buildah and skopeo look
 * @param certsDirs the {@code certs.d} roots: a registry's CAs are the {@code *.crt} files in
 *                  {@code <root>/<host[:port]>/} of the first root that has that directory
 */
@Validated
@ConfigurationProperties("archfarm.registry")
public record RegistryProperties(
        @DefaultValue List<String> insecure,
        @NotNull @DefaultValue("30s") Duration timeout,
        @Nullable Path authFile,
        @DefaultValue List<Path> certsDirs) {

    /** Where the containers tools look, in their order, when {@code certs-dirs} is not set. */
    public static final List<Path> TOOLS_CERTS_DIRS =
            List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"));

    public RegistryProperties {
        insecure = insecure == null ? List.of() : List.copyOf(insecure);
        for (String host : insecure) {
            if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException(
                        "archfarm.registry.insecure entry '" + host + "' is not a host or host:port");
            }
        }
        certsDirs = certsDirs == null || certsDirs.isEmpty() ? TOOLS_CERTS_DIRS : List.copyOf(certsDirs);
    }

    public boolean isInsecure(String hostAndPort) {
        return insecure.contains(hostAndPort);
    }
}
