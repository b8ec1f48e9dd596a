package io.archfarm.model.messages;

import io.archfarm.model.ExecutionMode;
import java.util.UUID;

/**
 * Worker → scheduler (request/reply): may I start this attempt of this job now? The scheduler grants a claim to at
 * most one worker per attempt, and only while the job is still QUEUED at that attempt.
 */
public record ClaimRequest(UUID messageId, UUID jobId, int attempt, String workerId, ExecutionMode mode)
        implements Message {
}
