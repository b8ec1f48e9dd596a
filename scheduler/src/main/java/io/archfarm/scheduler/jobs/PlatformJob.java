package io.archfarm.scheduler.jobs;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One platform job as read from {@code platform_jobs}; never leaves the scheduler.
 *
 * @param affinityWorker   the worker the job was first offered to (cache affinity), or null
 * @param affinityDeadline when that offer ends and the shared queues get the job; null when it was never offered
 * @param queuedAt         when the job became QUEUED at its current attempt (what dispatch latency counts from)
 * @param mode             how its current attempt runs, NATIVE or EMULATED; null before a claim
 */
public record PlatformJob(
        UUID id,
        UUID buildId,
        Platform platform,
        Placement placement,
        JobStatus status,
        int attempt,
        int maxAttempts,
        @Nullable String workerId,
        boolean dispatchedNative,
        boolean dispatchedEmulated,
        @Nullable Instant nativeDeadline,
        @Nullable Instant unplaceableSince,
        @Nullable String affinityWorker,
        @Nullable Instant affinityDeadline,
        Instant queuedAt,
        @Nullable ExecutionMode mode) {}
