package io.archfarm.worker;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archfarm.registry.*}: how the worker's buildah and skopeo reach registries, on top of the host's own
 * containers configuration.
 *
 * @param insecure  registries (host:port) spoken to over plain http
 * @param authFile  the host's containers auth file; unset: where buildah looks ({@code REGISTRY_AUTH_FILE},
 *                  {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json},
 *                  {@code ~/.docker/config.json})
 * @param certsDir  a {@code certs.d} root other than {@code /etc/containers/certs.d}, which the tools read anyway
 * @param allowedHosts registries at internal addresses that an image may name ({@code host:port}, or host names,
 *                  IP addresses and CIDR blocks), as the portal's setting of that name; the insecure registries are
 *                  allowed too, being the farm's own
 */
@ConfigurationProperties("archfarm.registry")
public record RegistryProperties(
        @DefaultValue List<String> insecure,
        @Nullable Path authFile,
        @Nullable Path certsDir,
        @DefaultValue List<String> allowedHosts) {}
