package io.archfarm.portal.outbox;

import io.archfarm.model.Topology;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param prefix the broker names prefix; {@link Topology} checks its form and names a bad one */
@ConfigurationProperties("archfarm.topology")
record TopologyProperties(@DefaultValue(Topology.DEFAULT_PREFIX) String prefix) {

    Topology topology() {
        return new Topology(prefix);
    }
}
