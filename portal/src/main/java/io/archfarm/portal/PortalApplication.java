package io.archfarm.portal;

import io.archfarm.topology.TopologyConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The portal: REST API and pages over the builds; it announces work only through the outbox table. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TopologyConfiguration.class)
public class PortalApplication {

    public static void main(String[] args) {
        SpringApplication.run(PortalApplication.class, args);
    }
}
