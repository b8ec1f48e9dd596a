package io.archfarm.model.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * Portal (through the outbox) → every worker (fanout): the worker named {@code workerId} stops taking new jobs
 * ({@code draining} true) or takes them again ({@code draining} false); the jobs it runs finish normally. Every
 * other worker ignores it. The worker's heartbeats then report {@code draining}, which the scheduler shows as
 * DRAINING and keeps out of the placement.
 */
public record DrainWorker(UUID messageId, String workerId, boolean draining, String requestedBy, Instant requestedAt)
        implements Message {}
