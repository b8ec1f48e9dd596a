package io.archfarm.worker;

import io.archfarm.topology.TopologyConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A build host: takes platform jobs from the broker, builds them with buildah and pushes them by digest. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TopologyConfiguration.class)
@EnableScheduling
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
