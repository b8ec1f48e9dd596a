package io.archfarm.portal.metrics;

import io.archfarm.model.metrics.ScrapeAccess;
import io.archfarm.model.metrics.ScrapeAccessFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may read the portal's metrics and info: a scraper on its host, or one with the farm's scrape token. Spring
 * Security lets these two paths through without a session (they are a scraper's, not a person's), and this decides.
 * Behind a proxy the rule sees the client's address only when the proxy sends X-Forwarded-For (as the sign-in
 * throttle needs too); a proxy that does not must not forward {@code /actuator/} at all.
 */
@Configuration(proxyBeanMethods = false)
class ScrapeRule {

    /** A filter bean: the servlet container runs it on every request, after Spring Security's. */
    @Bean
    ScrapeAccessFilter scrapeAccessFilter(MetricsProperties properties) {
        return new ScrapeAccessFilter(new ScrapeAccess(properties.scrapeToken()));
    }
}
