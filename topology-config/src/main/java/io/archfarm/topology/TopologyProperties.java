package io.archfarm.topology;

import io.archfarm.model.Topology;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archfarm.topology.prefix} ({@code ARCHFARM_TOPOLOGY_PREFIX}): the prefix of every exchange and queue name,
 * the same key for the portal, the scheduler and the worker. The one check is {@link Topology}'s own, made while
 * binding, so that a bad prefix stops a service at its start with a message that names it.
 */
@ConfigurationProperties("archfarm.topology")
public record TopologyProperties(
        @DefaultValue(Topology.DEFAULT_PREFIX) String prefix) {

    public TopologyProperties {
        new Topology(prefix);
    }

    public Topology topology() {
        return new Topology(prefix);
    }
}
