package io.archfarm.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code archfarm.topology.prefix}: the prefix of every exchange and queue name. */
@ConfigurationProperties("archfarm.topology")
public record TopologyProperties(@DefaultValue("archfarm") String prefix) {
}
