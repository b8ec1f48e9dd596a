package io.archfarm.model.messages;

import io.archfarm.model.JobOutcome;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Worker → scheduler: how one attempt of a job ended. On success {@code digest}, {@code size} and
 * {@code mediaType} describe the image manifest pushed by digest; otherwise {@code error} says what went wrong
 * (with {@code exitCode} and the last lines of the log for a failing step).
 *
 * @param buildMillis how long buildah itself ran (build and push), for the farm's overhead figures
 * @param isolation   how the worker isolated the RUN steps, as shown: {@code netns, egress outside}; null from a
 *                    worker that predates isolation levels
 * @param phases      where the attempt's time went on the worker; null from a worker that predates phases
 * @param cache       what the layer cache did, step by step; null when the attempt did not get to build, or from a
 *                    worker that predates the layer cache
 */
public record JobFinished(
        UUID messageId,
        UUID jobId,
        int attempt,
        String workerId,
        JobOutcome outcome,
        @Nullable String digest,
        long size,
        @Nullable String mediaType,
        @Nullable String error,
        @Nullable Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        long buildMillis,
        @Nullable String isolation,
        @Nullable JobPhases phases,
        @Nullable JobCache cache)
        implements Message {

    /** A result that says nothing about isolation, as workers before isolation levels sent. */
    public JobFinished(
            UUID messageId,
            UUID jobId,
            int attempt,
            String workerId,
            JobOutcome outcome,
            @Nullable String digest,
            long size,
            @Nullable String mediaType,
            @Nullable String error,
            @Nullable Integer exitCode,
            Instant startedAt,
            Instant finishedAt,
            long buildMillis) {
        this(
                messageId,
                jobId,
                attempt,
                workerId,
                outcome,
                digest,
                size,
                mediaType,
                error,
                exitCode,
                startedAt,
                finishedAt,
                buildMillis,
                null,
                null);
    }

    /** A result that says nothing about phases, as workers before phases sent. */
    public JobFinished(
            UUID messageId,
            UUID jobId,
            int attempt,
            String workerId,
            JobOutcome outcome,
            @Nullable String digest,
            long size,
            @Nullable String mediaType,
            @Nullable String error,
            @Nullable Integer exitCode,
            Instant startedAt,
            Instant finishedAt,
            long buildMillis,
            @Nullable String isolation) {
        this(
                messageId,
                jobId,
                attempt,
                workerId,
                outcome,
                digest,
                size,
                mediaType,
                error,
                exitCode,
                startedAt,
                finishedAt,
                buildMillis,
                isolation,
                null,
                null);
    }

    /** A result that says nothing about the layer cache, as workers before it sent. */
    public JobFinished(
            UUID messageId,
            UUID jobId,
            int attempt,
            String workerId,
            JobOutcome outcome,
            @Nullable String digest,
            long size,
            @Nullable String mediaType,
            @Nullable String error,
            @Nullable Integer exitCode,
            Instant startedAt,
            Instant finishedAt,
            long buildMillis,
            @Nullable String isolation,
            @Nullable JobPhases phases) {
        this(
                messageId,
                jobId,
                attempt,
                workerId,
                outcome,
                digest,
                size,
                mediaType,
                error,
                exitCode,
                startedAt,
                finishedAt,
                buildMillis,
                isolation,
                phases,
                null);
    }

    /** This result with {@code phases} in place of its own. */
    public JobFinished withPhases(@Nullable JobPhases phases) {
        return new JobFinished(
                messageId,
                jobId,
                attempt,
                workerId,
                outcome,
                digest,
                size,
                mediaType,
                error,
                exitCode,
                startedAt,
                finishedAt,
                buildMillis,
                isolation,
                phases,
                cache);
    }
}
