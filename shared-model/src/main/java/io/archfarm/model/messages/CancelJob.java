package io.archfarm.model.messages;

import java.util.UUID;

/** Scheduler → every worker (fanout): stop this attempt of this job if you run it, killing its whole process tree. */
public record CancelJob(UUID messageId, UUID jobId, int attempt, String reason) implements Message {}
