package io.archfarm.model.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * Portal → scheduler (through the outbox): someone asked to build again the platforms of an ended build (FAILED,
 * PARTIAL or CANCELLED) that did not succeed, and to merge them with the ones that did.
 */
public record BuildRetryRequested(UUID messageId, UUID buildId, String requestedBy, Instant requestedAt)
        implements Message {}
