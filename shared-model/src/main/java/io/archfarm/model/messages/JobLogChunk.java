package io.archfarm.model.messages;

import java.util.UUID;

/**
 * Worker → scheduler: the next piece of one attempt's log. {@code seq} counts from 0 per attempt, so a redelivered
 * chunk is stored once and chunks are read back in order.
 */
public record JobLogChunk(UUID messageId, UUID jobId, int attempt, long seq, String text) implements Message {}
