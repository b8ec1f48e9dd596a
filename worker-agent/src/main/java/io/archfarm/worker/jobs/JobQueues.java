package io.archfarm.worker.jobs;

import io.archfarm.model.ExecutionMode;
import java.util.List;

/** The job queues this worker takes work from, native ones first. A job runs in the mode of its queue. */
record JobQueues(List<JobQueue> inPollingOrder) {

    record JobQueue(String name, ExecutionMode mode) {
    }

    JobQueues {
        inPollingOrder = List.copyOf(inPollingOrder);
    }
}
