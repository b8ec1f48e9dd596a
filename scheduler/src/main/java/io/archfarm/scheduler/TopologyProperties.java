package io.archfarm.scheduler;

import io.archfarm.model.Topology;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code archfarm.topology.prefix}: the prefix of every exchange and queue name. */
@Validated
@ConfigurationProperties("archfarm.topology")
public record TopologyProperties(@NotBlank @DefaultValue(Topology.DEFAULT_PREFIX) String prefix) {

    public Topology topology() {
        return new Topology(prefix);
    }
}
