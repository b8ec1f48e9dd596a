package io.archfarm.portal.metrics;

import io.archfarm.model.BuildStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the portal shows of the farm's state from PostgreSQL: builds by status and the outbox's lag, the same figures
 * as the scheduler's, so that they stay in sight while no scheduler runs (that is when QUEUED builds pile up and
 * the portal's requests wait in the outbox). One query every {@code archfarm.metrics.database-refresh} (15 s); a
 * scrape reads the last answer. Aggregate across portals and schedulers with {@code max}.
 */
@Component
class PortalGauges {

    private static final Logger LOG = LoggerFactory.getLogger(PortalGauges.class);
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

    /** @param outboxLag seconds since the oldest unpublished outbox row was written, by the database's clock */
    record Reading(Map<String, Long> builds, long unsent, double outboxLag) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Timer refreshes;
    private volatile Reading reading = new Reading(Map.of(), 0, 0);

    PortalGauges(JdbcClient jdbc, JsonMapper json, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.json = json;
        for (BuildStatus status : BuildStatus.values()) {
            Gauge.builder("archfarm.builds", this, g -> g.reading.builds().getOrDefault(status.name(), 0L))
                    .description("builds by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("archfarm.outbox.unsent", this, g -> g.reading.unsent())
                .description("outbox rows not yet published")
                .register(registry);
        Gauge.builder("archfarm.outbox.lag", this, g -> g.reading.outboxLag())
                .baseUnit("seconds")
                .description("age of the oldest unpublished outbox row (0 when none)")
                .register(registry);
        refreshes = Timer.builder("archfarm.gauges.refresh")
                .description("reading the gauges from PostgreSQL, what a refresh costs the portal")
                .register(registry);
    }

    @Scheduled(fixedDelayString = "${archfarm.metrics.database-refresh:15s}")
    void refresh() {
        try {
            reading = refreshes.record(() -> jdbc.sql("""
                    select (select coalesce(jsonb_object_agg(status, n), '{}')::text
                            from (select status, count(*) as n from builds group by status) s) as builds,
                        count(*) as unsent,
                        coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0) as lag
                    from outbox where published_at is null""")
                    .query((rs, n) -> new Reading(
                            json.readValue(rs.getString("builds"), COUNTS),
                            rs.getLong("unsent"),
                            Math.max(0, rs.getDouble("lag"))))
                    .single());
        } catch (DataAccessException e) {
            LOG.warn(
                    "the farm's gauges were not read: {}",
                    e.getMostSpecificCause().getMessage());
        }
    }
}
