package io.archfarm.model.messages;

import java.util.List;
import java.util.UUID;

/**
 * Scheduler → every worker (fanout): the doorbell. Jobs were just put on these job queues (one entry per job, so a
 * queue named twice holds two new jobs); a worker with idle slots that polls one of them looks at once instead of at
 * its next poll. It is a hint, never the job itself: a worker that misses it finds the jobs at its next poll, and one
 * that wakes for a job another worker took finds the queue empty.
 */
public record JobsWaiting(UUID messageId, List<String> queues) implements Message {

    public JobsWaiting {
        queues = List.copyOf(queues);
    }
}
