package io.archfarm.topology;

import io.archfarm.model.Topology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link Topology} bean of a service, from {@link TopologyProperties}; each service imports this. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopologyProperties.class)
public class TopologyConfiguration {

    @Bean
    Topology topology(TopologyProperties properties) {
        return properties.topology();
    }
}
