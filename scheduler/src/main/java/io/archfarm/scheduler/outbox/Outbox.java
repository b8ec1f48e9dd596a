package io.archfarm.scheduler.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.Message;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the scheduler's own messages to the outbox, in the caller's transaction, so that a message exists exactly
 * when the change it announces was committed. {@link PublishOutboxMessages} sends them, woken by the commit.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Topology topology;
    private final RelayAfterCommit relay;

    Outbox(JdbcClient jdbc, JsonMapper json, Topology topology, RelayAfterCommit relay) {
        this.jdbc = jdbc;
        this.json = json;
        this.topology = topology;
        this.relay = relay;
    }

    /** A job for the workers that take {@code queue}; the jobs exchange routes by queue name. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void jobAssignment(JobAssignment assignment, String queue) {
        insert(topology.jobsExchange(), queue, assignment);
    }

    /** Broadcast to every worker: stop that attempt if you run it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancelJob(CancelJob cancel) {
        insert(topology.controlExchange(), "", cancel);
    }

    private void insert(String exchange, String routingKey, Message message) {
        jdbc.sql("""
                insert into outbox (id, exchange_name, routing_key, message_type, payload, created_at)
                values (:id, :exchange, :routingKey, :type, cast(:payload as jsonb), clock_timestamp())""")
                .param("id", UUID.randomUUID())
                .param("exchange", exchange)
                .param("routingKey", routingKey)
                .param("type", message.getClass().getName())
                .param("payload", json.writeValueAsString(message))
                .update();
        relay.afterCommit();
    }
}
