package io.archfarm.model.messages;

/**
 * Where the time of one attempt of a platform job went, in milliseconds; null where a phase was not measured (a
 * failure before it, or a worker or scheduler that predates it). The worker measures what happens on it (the claim's
 * round trip, fetch, base-image pull, build without the pull, push); the scheduler adds what it sees (queue wait from
 * queued to claimed, the job's share of the merge).
 */
public record JobPhases(Long queueWait, Long claim, Long fetch, Long pull, Long build, Long push, Long merge) {

    /** What a worker measured, before the scheduler adds its own phases. */
    public static JobPhases onWorker(Long claim, Long fetch, Long pull, Long build, Long push) {
        return new JobPhases(null, claim, fetch, pull, build, push, null);
    }

    public JobPhases withClaim(Long millis) {
        return new JobPhases(queueWait, millis, fetch, pull, build, push, merge);
    }

    public JobPhases withQueueWait(Long millis) {
        return new JobPhases(millis, claim, fetch, pull, build, push, merge);
    }
}
