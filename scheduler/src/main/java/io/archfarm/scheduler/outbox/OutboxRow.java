package io.archfarm.scheduler.outbox;

import java.util.UUID;

/** One unpublished outbox row: the payload is sent exactly as stored. */
record OutboxRow(UUID id, String exchange, String routingKey, String messageType, String payload) {}
