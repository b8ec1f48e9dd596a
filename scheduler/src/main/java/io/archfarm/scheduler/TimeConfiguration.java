package io.archfarm.scheduler;

import io.archfarm.model.Topology;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TimeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Topology topology(TopologyProperties properties) {
        return properties.topology();
    }
}
