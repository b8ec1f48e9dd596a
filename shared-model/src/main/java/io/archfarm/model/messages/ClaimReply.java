package io.archfarm.model.messages;

import io.archfarm.model.registry.WorkerSeal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Scheduler → worker: the answer to a {@link ClaimRequest}; {@code reason} says why a claim was refused.
 *
 * @param credential the project's registry credential (JSON of registry, username, secret), sealed for the public
 *                   key of the claim; null when the build's project has none
 * @param secrets    the build secrets of the build's project and team (a JSON object of id to value, a project's
 *                   secret in place of its team's of the same id), sealed for the public key of the claim; null when
 *                   there are none
 */
public record ClaimReply(
        UUID messageId,
        UUID requestId,
        boolean granted,
        @Nullable String reason,
        WorkerSeal.@Nullable Sealed credential,
        WorkerSeal.@Nullable Sealed secrets)
        implements Message {

    public ClaimReply(UUID messageId, UUID requestId, boolean granted, @Nullable String reason) {
        this(messageId, requestId, granted, reason, null, null);
    }

    public ClaimReply(
            UUID messageId,
            UUID requestId,
            boolean granted,
            @Nullable String reason,
            WorkerSeal.@Nullable Sealed credential) {
        this(messageId, requestId, granted, reason, credential, null);
    }
}
