package io.archfarm.model.messages;

import java.util.UUID;

/** Every message that crosses the broker carries its own id, so that a consumer can do nothing the second time. */
public sealed interface Message
        permits BuildRequested,
                BuildCancelRequested,
                BuildRetryRequested,
                JobAssignment,
                ClaimRequest,
                ClaimReply,
                JobLogChunk,
                JobFinished,
                WorkerHeartbeat,
                CancelJob,
                DrainWorker,
                JobsWaiting {

    UUID messageId();
}
