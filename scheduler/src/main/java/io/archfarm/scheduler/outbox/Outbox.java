package io.archfarm.scheduler.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.Message;
import io.archfarm.outbox.OutboxWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the scheduler's own messages to the outbox through the shared {@link OutboxWriter}, in the caller's
 * transaction (it refuses to write without one), so that a message exists exactly when the change it announces was
 * committed. {@link PublishOutboxMessages} sends them, woken by the commit ({@link RelayAfterCommit}).
 */
@Component
public class Outbox {

    private final OutboxWriter writer;
    private final Topology topology;
    private final RelayAfterCommit relay;

    Outbox(JdbcClient jdbc, JsonMapper json, Topology topology, RelayAfterCommit relay) {
        this.writer = new OutboxWriter(jdbc, json);
        this.topology = topology;
        this.relay = relay;
    }

    /** A job for the workers that take {@code queue}; the jobs exchange routes by queue name. */
    public void jobAssignment(JobAssignment assignment, String queue) {
        write(topology.jobsExchange(), queue, assignment);
    }

    /** Broadcast to every worker: stop that attempt if you run it. */
    public void cancelJob(CancelJob cancel) {
        write(topology.controlExchange(), "", cancel);
    }

    private void write(String exchange, String routingKey, Message message) {
        writer.write(exchange, routingKey, message);
        relay.afterCommit();
    }
}
