package io.archfarm.model.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.archfarm.model.ExecutionMode;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Worker → scheduler (request/reply): may I start this attempt of this job now? The scheduler grants a claim to at
 * most one worker per attempt, and only while the job is still QUEUED at that attempt.
 *
 * @param publicKey the worker's RSA public key (base64 X.509), for the registry credential the scheduler seals for
 *                  it in the reply; null from a worker that cannot open sealed credentials
 * @param tools     the tools the attempt runs with, which the job records when the claim is granted; null from a
 *                  worker older than that field
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimRequest(
        UUID messageId,
        UUID jobId,
        int attempt,
        String workerId,
        ExecutionMode mode,
        @Nullable String publicKey,
        @Nullable WorkerTools tools)
        implements Message {

    public ClaimRequest(UUID messageId, UUID jobId, int attempt, String workerId, ExecutionMode mode) {
        this(messageId, jobId, attempt, workerId, mode, null, null);
    }

    /** A claim that does not say its tools, as workers before the field sent it. */
    public ClaimRequest(
            UUID messageId, UUID jobId, int attempt, String workerId, ExecutionMode mode, @Nullable String publicKey) {
        this(messageId, jobId, attempt, workerId, mode, publicKey, null);
    }
}
