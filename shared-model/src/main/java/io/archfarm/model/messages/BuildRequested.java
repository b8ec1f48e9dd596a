package io.archfarm.model.messages;

import java.time.Instant;
import java.util.UUID;

/** Portal → scheduler (through the outbox): a build was accepted and persisted; fan it out. */
public record BuildRequested(UUID messageId, UUID buildId, Instant requestedAt) implements Message {}
