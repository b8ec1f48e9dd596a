package io.archfarm.scheduler.metrics;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.WorkerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The farm's state as PostgreSQL holds it, for the scheduler's metrics: builds by status, the queue per platform and
 * where its jobs wait, the fleet's workers and slots, and the outbox's lag. Read every
 * {@code archfarm.metrics.database-refresh} (15 s) in the background, in five queries of which the large tables'
 * use their partial indexes on live rows (measured on 100,000 builds: README, Metrics); a scrape only reads the last
 * snapshot, so it costs PostgreSQL nothing however often it comes. Every scheduler shows the same figures: aggregate
 * them with {@code max}, not {@code sum}.
 */
@Component
class FarmGauges {

    private static final Logger LOG = LoggerFactory.getLogger(FarmGauges.class);
    /** Where a QUEUED job waits: on a native queue only, on the emulated one, or on no shared queue yet. */
    static final List<String> QUEUE_MODES = List.of("NATIVE", "EMULATED", "NONE");

    /**
     * @param queued    QUEUED jobs by platform and where they wait
     * @param platforms the platforms the workers online or draining build, natively or emulated
     * @param workers   workers by status, each {@code [count, slots, busy]}
     * @param outboxLag seconds since the oldest unpublished outbox row was written, by the database's clock
     */
    record Snapshot(
            Map<String, Long> builds,
            Map<List<String>, Long> queued,
            List<String> platforms,
            Map<String, long[]> workers,
            long unsent,
            double outboxLag) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), List.of(), Map.of(), 0, 0);

        long workers(String status) {
            return workers.getOrDefault(status, new long[3])[0];
        }

        /** Slots ({@code column} 1) or busy ones (2) of the workers online or draining. */
        long slots(int column) {
            return workers.entrySet().stream()
                    .filter(e -> !e.getKey().equals(WorkerStatus.OFFLINE.name()))
                    .mapToLong(e -> e.getValue()[column])
                    .sum();
        }
    }

    private final JdbcClient jdbc;
    private final MultiGauge queueDepth;
    private final Timer refreshes;
    /**
     * Every platform a queue row was shown for (the fleet builds it, or a job waits for it): it stays, at 0, rather
     * than vanish from the dashboards.
     */
    private final Set<String> platforms = new TreeSet<>();

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    FarmGauges(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        for (BuildStatus status : BuildStatus.values()) {
            gauge("archfarm.builds", "builds by status", s -> s.builds().getOrDefault(status.name(), 0L))
                    .tag("status", status.name())
                    .register(registry);
        }
        for (WorkerStatus status : WorkerStatus.values()) {
            gauge("archfarm.fleet.workers", "workers by status", s -> s.workers(status.name()))
                    .tag("status", status.name())
                    .register(registry);
        }
        gauge("archfarm.fleet.slots", "slots of the workers online or draining", s -> s.slots(1))
                .register(registry);
        gauge("archfarm.fleet.slots.busy", "attempts the workers online or draining run", s -> s.slots(2))
                .register(registry);
        gauge("archfarm.outbox.unsent", "outbox rows not yet published", Snapshot::unsent)
                .register(registry);
        gauge("archfarm.outbox.lag", "age of the oldest unpublished outbox row (0 when none)", Snapshot::outboxLag)
                .baseUnit("seconds")
                .register(registry);
        refreshes = Timer.builder("archfarm.gauges.refresh")
                .description("reading the gauges from PostgreSQL, what a refresh costs the scheduler")
                .register(registry);
        queueDepth = MultiGauge.builder("archfarm.queue.depth")
                .description("QUEUED platform jobs by platform and where they wait (NATIVE, EMULATED, NONE)")
                .register(registry);
    }

    private Gauge.Builder<FarmGauges> gauge(String name, String description, ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(name, this, gauges -> value.applyAsDouble(gauges.snapshot))
                .description(description);
    }

    @Scheduled(fixedDelayString = "${archfarm.metrics.database-refresh:15s}")
    void refresh() {
        try {
            snapshot = refreshes.record(this::read);
            showQueues(snapshot);
        } catch (DataAccessException e) {
            // the last snapshot stays: a dashboard shows the database's trouble in other ways
            LOG.warn(
                    "the farm's gauges were not read: {}",
                    e.getMostSpecificCause().getMessage());
        }
    }

    Snapshot read() {
        Map<String, Long> builds = new HashMap<>();
        jdbc.sql("select status, count(*) from builds group by status").query(rs -> {
            builds.put(rs.getString(1), rs.getLong(2));
        });
        Map<List<String>, Long> queued = new HashMap<>();
        jdbc.sql("select platform, case when dispatched_emulated then 'EMULATED' when dispatched_native then 'NATIVE'"
                        + " else 'NONE' end, count(*) from platform_jobs where status = 'QUEUED' group by 1, 2")
                .query(rs -> {
                    queued.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                });
        List<String> fleetPlatforms = jdbc.sql(
                        "select distinct p from workers,"
                                + " jsonb_array_elements_text(native_platforms || emulated_platforms) p where status <> 'OFFLINE'")
                .query((rs, row) -> rs.getString(1))
                .list();
        Map<String, long[]> workers = new HashMap<>();
        jdbc.sql("select status, count(*), sum(slots), sum(busy) from workers group by status")
                .query(rs -> {
                    workers.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                });
        return jdbc.sql("select count(*), coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)"
                        + " from outbox where published_at is null")
                .query((rs, n) -> new Snapshot(
                        builds, queued, fleetPlatforms, workers, rs.getLong(1), Math.max(0, rs.getDouble(2))))
                .single();
    }

    private void showQueues(Snapshot read) {
        read.queued().keySet().forEach(row -> platforms.add(row.getFirst()));
        platforms.addAll(read.platforms());
        queueDepth.register(
                platforms.stream()
                        .flatMap(platform -> QUEUE_MODES.stream()
                                .map(mode -> MultiGauge.Row.of(
                                        Tags.of("platform", platform, "mode", mode),
                                        read.queued().getOrDefault(List.of(platform, mode), 0L))))
                        .toList(),
                true);
    }
}
