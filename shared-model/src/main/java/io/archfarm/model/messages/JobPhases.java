package io.archfarm.model.messages;

import org.jspecify.annotations.Nullable;

/**
 * Where the time of one attempt of a platform job went, in milliseconds; null where a phase was not measured (a
 * failure before it, or a worker or scheduler that predates it). The worker measures what happens on it (the claim's
 * round trip, fetch, base-image pull, build without the pull, push); the scheduler adds what it sees (queue wait from
 * queued to claimed, the job's share of the merge).
 */
public record JobPhases(
        @Nullable Long queueWait,
        @Nullable Long claim,
        @Nullable Long fetch,
        @Nullable Long pull,
        @Nullable Long build,
        @Nullable Long push,
        @Nullable Long merge) {

    /** What a worker measured, before the scheduler adds its own phases. */
    public static JobPhases onWorker(
            @Nullable Long claim,
            @Nullable Long fetch,
            @Nullable Long pull,
            @Nullable Long build,
            @Nullable Long push) {
        return new JobPhases(null, claim, fetch, pull, build, push, null);
    }

    public JobPhases withClaim(@Nullable Long millis) {
        return new JobPhases(queueWait, millis, fetch, pull, build, push, merge);
    }

    public JobPhases withQueueWait(@Nullable Long millis) {
        return new JobPhases(millis, claim, fetch, pull, build, push, merge);
    }
}
