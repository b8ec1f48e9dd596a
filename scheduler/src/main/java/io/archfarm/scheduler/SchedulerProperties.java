package io.archfarm.scheduler;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.scheduler.*}: the scheduler's clocks and limits.
 *
 * @param tick               how often queued jobs are placed, silent workers looked for and finished builds merged
 * @param outboxInterval     how often the relay looks for unpublished outbox rows
 * @param outboxBatch        rows the relay takes per round
 * @param confirmTimeout     how long the relay waits for the broker's publisher confirm of one row
 * @param resultGrace        how long past the job timeout the scheduler waits for a worker's result before it fails
 *                           the job itself (the worker enforces the timeout; this is the net under it)
 * @param affinityWindow     how far back a success of the same project and platform makes its worker the job's
 *                           preferred worker (cache affinity)
 * @param affinityWait       how long a job waits on its preferred worker's own queue before the shared queues get
 *                           it; zero turns cache affinity off
 * @param messageRetention   how long handled message ids and published outbox rows are kept (redeliveries come
 *                           within minutes; the rows are only for that and for a look after the fact)
 * @param outageBudget       how long a part of the farm (a registry, a git server) may fail for now, counted from its
 *                           first failure in a row, before the job or the merge that met it fails naming the part
 * @param retryBackoff       the first wait before an attempt or a merge that met an outage is tried again; each
 *                           further one doubles it, with jitter
 * @param retryBackoffMax    the longest such wait
 */
@Validated
@ConfigurationProperties("archfarm.scheduler")
public record SchedulerProperties(
        @NotNull @DefaultValue("1s") Duration tick,
        @NotNull @DefaultValue("15s") Duration heartbeatTimeout,
        @NotNull @DefaultValue("30s") Duration nativeWait,
        @NotNull @DefaultValue("60s") Duration unplaceableTimeout,
        @Min(1) @Max(100) @DefaultValue("3") int maxAttempts,
        @NotNull @DefaultValue("60m") Duration jobTimeout,
        @NotNull @DefaultValue("50ms") Duration outboxInterval,
        @Min(1) @Max(1000) @DefaultValue("100") int outboxBatch,
        @NotNull @DefaultValue("10s") Duration confirmTimeout,
        @NotNull @DefaultValue("5m") Duration resultGrace,
        @NotNull @DefaultValue("7d") Duration messageRetention,
        @NotNull @DefaultValue("24h") Duration affinityWindow,
        @NotNull @DefaultValue("3s") Duration affinityWait,
        @NotNull @DefaultValue("10m") Duration outageBudget,
        @NotNull @DefaultValue("1s") Duration retryBackoff,
        @NotNull @DefaultValue("1m") Duration retryBackoffMax) {

    public SchedulerProperties {
        requirePositive("tick", tick);
        requirePositive("heartbeat-timeout", heartbeatTimeout);
        requirePositive("job-timeout", jobTimeout);
        requirePositive("outbox-interval", outboxInterval);
        requirePositive("confirm-timeout", confirmTimeout);
        requirePositive("result-grace", resultGrace);
        requirePositive("message-retention", messageRetention);
        requirePositive("affinity-window", affinityWindow);
        requirePositive("outage-budget", outageBudget);
        requirePositive("retry-backoff", retryBackoff);
        requirePositive("retry-backoff-max", retryBackoffMax);
        if (retryBackoff != null && retryBackoffMax != null && retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("archfarm.scheduler.retry-backoff-max (" + retryBackoffMax
                    + ") must not be below archfarm.scheduler.retry-backoff (" + retryBackoff + ")");
        }
        if (affinityWait != null && affinityWait.isNegative()) {
            throw new IllegalArgumentException("archfarm.scheduler.affinity-wait must not be negative"
                    + " (0 turns affinity off), was " + affinityWait);
        }
        if (nativeWait != null && nativeWait.isNegative()) {
            throw new IllegalArgumentException(
                    "archfarm.scheduler.native-wait must not be negative, was " + nativeWait);
        }
        if (unplaceableTimeout != null && unplaceableTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "archfarm.scheduler.unplaceable-timeout must not be negative, was " + unplaceableTimeout);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException("archfarm.scheduler." + name + " must be positive, was " + value);
        }
    }
}
