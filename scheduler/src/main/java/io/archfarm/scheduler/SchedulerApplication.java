package io.archfarm.scheduler;

import io.archfarm.topology.TopologyConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The farm's control plane: fan-out, placement, retries, the outbox relay and the merge into a manifest list. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TopologyConfiguration.class)
@EnableScheduling
public class SchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchedulerApplication.class, args);
    }
}
