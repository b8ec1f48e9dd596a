package io.archfarm.model.messages;

import java.time.Instant;
import java.util.UUID;

/** Portal → scheduler (through the outbox): someone asked to cancel a build. */
public record BuildCancelRequested(UUID messageId, UUID buildId, String requestedBy, Instant requestedAt)
        implements Message {
}
