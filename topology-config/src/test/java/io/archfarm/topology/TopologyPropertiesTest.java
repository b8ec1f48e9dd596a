package io.archfarm.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.Topology;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TopologyPropertiesTest {

    @Test
    void withoutAPrefixTheFarmsDefaultIsUsed() {
        assertThat(bind(Map.of()).topology()).isEqualTo(Topology.defaults());
    }

    @Test
    void thePrefixNamesEveryExchange() {
        assertThat(bind(Map.of("archfarm.topology.prefix", "e2e-1")).topology().jobsExchange())
                .isEqualTo("e2e-1.jobs");
    }

    @Test
    void aBadPrefixFailsTheBindingAndIsNamed() {
        assertThatThrownBy(() -> bind(Map.of("archfarm.topology.prefix", "Bad Prefix")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("'Bad Prefix'");
    }

    private static TopologyProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("archfarm.topology", TopologyProperties.class);
    }
}
