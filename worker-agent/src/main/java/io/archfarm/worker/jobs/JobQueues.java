package io.archfarm.worker.jobs;

import io.archfarm.model.ExecutionMode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The job queues this worker takes work from in the order of preference: its own queue (jobs offered to it by cache
 * affinity), then the shared native ones, then the emulated ones. A job from a shared queue runs in the mode of its queue.
 */
record JobQueues(List<JobQueue> inPreferenceOrder) {

    /** @param mode the mode of the queue's jobs, or null for the worker's own queue, whose jobs each name theirs */
    record JobQueue(String name, @Nullable ExecutionMode mode) {}

    JobQueues {
        inPreferenceOrder = List.copyOf(inPreferenceOrder);
    }
}
