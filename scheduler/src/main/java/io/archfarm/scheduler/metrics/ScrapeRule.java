package io.archfarm.scheduler.metrics;

import io.archfarm.model.metrics.ScrapeAccess;
import io.archfarm.model.metrics.ScrapeAccessFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Who may read the scheduler's metrics and info: a scraper on its host, or one with the farm's scrape token. */
@Configuration(proxyBeanMethods = false)
class ScrapeRule {

    /** A filter bean: the servlet container runs it on every request. */
    @Bean
    ScrapeAccessFilter scrapeAccessFilter(MetricsProperties properties) {
        return new ScrapeAccessFilter(new ScrapeAccess(properties.scrapeToken()));
    }
}
