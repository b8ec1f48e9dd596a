package io.archfarm.worker;

import io.archfarm.model.messages.WorkerTools;
import io.archfarm.model.metrics.ScrapeAccess;
import io.archfarm.model.metrics.ScrapeAccessFilter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the worker's management port ({@link ManagementPort}) serves besides the actuator's own: the scrape rule
 * ({@link ScrapeAccess}: loopback, or the farm's scrape token), the worker and its tools in {@code /actuator/info},
 * and a log line naming the port (which may have been picked by the system).
 */
@Configuration(proxyBeanMethods = false)
class WorkerManagement {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerManagement.class);

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ScrapeAccessFilter scrapeAccessFilter(@Value("${archfarm.metrics.scrape-token:}") String token) {
        return new ScrapeAccessFilter(new ScrapeAccess(token));
    }

    @Bean
    InfoContributor workerInfo(WorkerIdentity identity, Capabilities capabilities, WorkerTools tools) {
        return info -> info.withDetail(
                "worker",
                Map.of(
                        "id",
                        identity.id(),
                        "host",
                        identity.host(),
                        "nativePlatforms",
                        capabilities.nativeNames(),
                        "emulatedPlatforms",
                        capabilities.emulatedNames(),
                        "slots",
                        capabilities.slots(),
                        "tools",
                        tools));
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> managementPortLog(WorkerIdentity identity) {
        return event -> LOG.info(
                "worker {} serves health, info and metrics on port {} "
                        + "(/actuator/prometheus; archfarm.worker.management-port)",
                identity.id(),
                event.getWebServer().getPort());
    }
}
