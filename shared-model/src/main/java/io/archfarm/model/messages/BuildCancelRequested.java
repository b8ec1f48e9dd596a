package io.archfarm.model.messages;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Portal → scheduler (through the outbox): someone, or something, asked to cancel a build.
 *
 * @param requestedBy the person who asked; null for an unnamed user, and when the farm itself asked
 * @param reason      why the farm itself asked (a newer build superseded this one), recorded as the build's error;
 *                    null when a person asked ("cancelled by requestedBy")
 */
public record BuildCancelRequested(
        UUID messageId,
        UUID buildId,
        @Nullable String requestedBy,
        Instant requestedAt,
        @Nullable String reason) implements Message {}
