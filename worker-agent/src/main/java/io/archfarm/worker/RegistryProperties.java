package io.archfarm.worker;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code archfarm.registry.insecure}: registries (host:port) spoken to over plain http. */
@ConfigurationProperties("archfarm.registry")
public record RegistryProperties(@DefaultValue List<String> insecure) {
}
