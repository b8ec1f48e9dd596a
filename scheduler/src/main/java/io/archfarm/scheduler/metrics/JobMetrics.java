package io.archfarm.scheduler.metrics;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Histograms of what the scheduler decides and hears, fleet-wide: how long a platform job waited from QUEUED to its
 * claim ({@code archfarm_dispatch_latency_seconds}) and how long each attempt ran on its worker
 * ({@code archfarm_job_duration_seconds}), by platform and mode. Recorded once the transaction that records the
 * change commits, so a claim or result that lost a race is not counted. Fixed buckets (a job is seconds to hours, a
 * dispatch milliseconds to minutes), so that {@code histogram_quantile} works across every scheduler.
 */
@Component
public class JobMetrics {

    private static final double[] DISPATCH_BUCKETS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600};
    private static final double[] DURATION_BUCKETS = {
        1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400
    };
    /** A figure no clock gives (a worker is less trusted than the control plane) is not recorded. */
    private static final Duration LONGEST = Duration.ofDays(30);

    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A claim was granted after the job waited {@code queued} since it became QUEUED at this attempt. */
    public void dispatched(Platform platform, ExecutionMode mode, Duration queued) {
        record(
                timer("archfarm.dispatch.latency", "platform jobs from QUEUED to claimed", DISPATCH_BUCKETS)
                        .tags("platform", platform.toString(), "mode", mode.name()),
                queued);
    }

    /** An attempt ended {@code outcome} (as its worker reported it) after running {@code ran}. */
    public void ended(Platform platform, @Nullable ExecutionMode mode, String outcome, Duration ran) {
        record(
                timer("archfarm.job.duration", "attempts from start to end on their worker", DURATION_BUCKETS)
                        .tags(
                                "platform",
                                platform.toString(),
                                "mode",
                                mode == null ? "NONE" : mode.name(),
                                "outcome",
                                outcome),
                ran);
    }

    private static Timer.Builder timer(String name, String description, double[] bucketsSeconds) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(Arrays.stream(bucketsSeconds)
                        .mapToObj(seconds -> Duration.ofMillis(Math.round(seconds * 1000)))
                        .toArray(Duration[]::new));
    }

    private void record(Timer.Builder timer, Duration duration) {
        if (duration == null || duration.isNegative() || duration.compareTo(LONGEST) > 0) {
            return;
        }
        Timer meter = timer.register(registry);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    meter.record(duration);
                }
            });
        } else {
            meter.record(duration);
        }
    }
}
