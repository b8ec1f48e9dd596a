package io.archfarm.model.messages;

import java.util.UUID;

/** Scheduler → worker: the answer to a {@link ClaimRequest}; {@code reason} says why a claim was refused. */
public record ClaimReply(UUID messageId, UUID requestId, boolean granted, String reason) implements Message {
}
