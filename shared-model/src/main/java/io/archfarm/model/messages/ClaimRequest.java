package io.archfarm.model.messages;

import io.archfarm.model.ExecutionMode;
import java.util.UUID;

/**
 * Worker → scheduler (request/reply): may I start this attempt of this job now? The scheduler grants a claim to at
 * most one worker per attempt, and only while the job is still QUEUED at that attempt.
 *
 * @param publicKey the worker's RSA public key (base64 X.509), for the registry credential the scheduler seals for
 *                  it in the reply; null from a worker that cannot open sealed credentials
 */
public record ClaimRequest(UUID messageId, UUID jobId, int attempt, String workerId, ExecutionMode mode,
        String publicKey) implements Message {

    public ClaimRequest(UUID messageId, UUID jobId, int attempt, String workerId, ExecutionMode mode) {
        this(messageId, jobId, attempt, workerId, mode, null);
    }
}
