package io.archfarm.scheduler.metrics;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.metrics.*}.
 *
 * @param scrapeToken     what a scraper not on this host sends as a Bearer token; unset, only loopback may scrape
 * @param databaseRefresh how often the gauges read from PostgreSQL are read again: a scrape only reads what was read
 */
@Validated
@ConfigurationProperties("archfarm.metrics")
public record MetricsProperties(
        @Nullable String scrapeToken,
        @NotNull @DefaultValue("15s") Duration databaseRefresh) {}
