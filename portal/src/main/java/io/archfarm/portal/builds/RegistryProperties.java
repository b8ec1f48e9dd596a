package io.archfarm.portal.builds;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.registry.*} as the portal reads it.
 *
 * @param allowedHosts registries an image may name although they are internal (loopback, private, link-local, ...):
 *                     {@code host:port} for one registry, or host names, IP addresses and CIDR blocks; the workers
 *                     take the same setting; env {@code ARCHFARM_REGISTRY_ALLOWED_HOSTS=127.0.0.1:5000}
 */
@ConfigurationProperties("archfarm.registry")
@Validated
record RegistryProperties(@DefaultValue @NotNull List<String> allowedHosts) {

    @ConstructorBinding
    RegistryProperties {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
