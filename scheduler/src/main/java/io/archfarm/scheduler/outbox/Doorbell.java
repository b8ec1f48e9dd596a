package io.archfarm.scheduler.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.JobsWaiting;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells every worker on the control fanout which job queues just got jobs ({@link JobsWaiting}), so that idle slots
 * look at once instead of at their next poll. It is sent straight, not through the outbox: it is a hint that changes
 * no state, a lost one costs at most one poll interval, and a row of its own would cost a write, a confirm and a
 * second round for every dispatch. It is still confirmed, so that a broker in trouble shows in the log.
 */
@Component
class Doorbell {

    private static final Logger log = LoggerFactory.getLogger(Doorbell.class);

    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final Topology topology;

    Doorbell(ConfirmedPublisher publisher, JsonMapper json, Topology topology) {
        this.publisher = publisher;
        this.json = json;
        this.topology = topology;
    }

    /** @param jobQueues the queue of each job just confirmed, once per job */
    void ring(List<String> jobQueues) {
        JobsWaiting doorbell = new JobsWaiting(UUID.randomUUID(), jobQueues);
        try {
            publisher.publish(new OutboxRow(doorbell.messageId(), topology.controlExchange(), "",
                    JobsWaiting.class.getName(), json.writeValueAsString(doorbell)));
        } catch (PublishFailedException e) {
            log.warn("the doorbell for {} job(s) was not sent, workers find them at their next poll: {}",
                    jobQueues.size(), e.getMessage());
        }
    }
}
