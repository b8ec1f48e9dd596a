package io.archfarm.scheduler;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.registry.*}.
 *
 * @param insecure registries ({@code host:port}) spoken to over plain http; every other one over https
 * @param timeout  one request to a registry
 */
@Validated
@ConfigurationProperties("archfarm.registry")
public record RegistryProperties(@DefaultValue List<String> insecure, @NotNull @DefaultValue("30s") Duration timeout) {

    public RegistryProperties {
        insecure = insecure == null ? List.of() : List.copyOf(insecure);
        for (String host : insecure) {
            if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException(
                        "archfarm.registry.insecure entry '" + host + "' is not a host or host:port");
            }
        }
    }

    public boolean isInsecure(String hostAndPort) {
        return insecure.contains(hostAndPort);
    }
}
