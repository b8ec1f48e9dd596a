package io.archfarm.portal.dashboard;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last statistics computed for each team, so that a dashboard does not wait for 30 days of builds to be
 * aggregated on every view (see {@link DashboardProperties}). One background thread recomputes stale snapshots, one
 * team at a time, so that refreshes never take more than one of the pool's connections.
 */
@Component
class TeamStatisticsSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(TeamStatisticsSnapshots.class);

    private final StatisticsQueries queries;
    private final Clock clock;
    private final Duration refreshAfter;
    private final Duration expireAfter;
    private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("dashboard-statistics").daemon().factory());

    TeamStatisticsSnapshots(StatisticsQueries queries, Clock clock, DashboardProperties properties) {
        this.queries = queries;
        this.clock = clock;
        this.refreshAfter = properties.statisticsRefreshAfter();
        this.expireAfter = properties.statisticsExpireAfter();
    }

    TeamStatistics of(UUID team) {
        Slot slot = slots.computeIfAbsent(team, t -> new Slot());
        TeamStatistics last = slot.snapshot;
        if (last == null || age(last).compareTo(expireAfter) > 0) {
            return computeNow(team, slot);
        }
        if (age(last).compareTo(refreshAfter) > 0 && slot.refreshing.compareAndSet(false, true)) {
            refreshLater(team, slot);
        }
        return last;
    }

    private TeamStatistics computeNow(UUID team, Slot slot) {
        synchronized (slot) {
            // whoever waited here while another request computed takes that result
            TeamStatistics last = slot.snapshot;
            if (last != null && age(last).compareTo(expireAfter) <= 0) {
                return last;
            }
            TeamStatistics fresh = queries.of(team);
            slot.snapshot = fresh;
            return fresh;
        }
    }

    private void refreshLater(UUID team, Slot slot) {
        try {
            refresher.execute(() -> {
                try {
                    slot.snapshot = queries.of(team);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "could not refresh the dashboard statistics of team {}; showing the previous ones",
                            team,
                            e);
                } finally {
                    slot.refreshing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            slot.refreshing.set(false); // shutting down
        }
    }

    private Duration age(TeamStatistics statistics) {
        return Duration.between(statistics.computedAt(), clock.instant());
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    private static final class Slot {
        volatile @Nullable TeamStatistics snapshot;
        final AtomicBoolean refreshing = new AtomicBoolean();
    }
}
