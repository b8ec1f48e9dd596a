package io.archfarm.portal.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.Message;
import io.archfarm.outbox.OutboxWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the portal announces work: a row in the outbox table, written by the shared {@link OutboxWriter} in the
 * caller's transaction (it refuses to write without one), so that the announcement exists exactly when the change it
 * announces does. The scheduler's relay publishes it.
 */
@Component
public class Outbox {

    private final OutboxWriter writer;
    private final Topology topology;

    Outbox(JdbcClient jdbc, JsonMapper json, Topology topology) {
        this.writer = new OutboxWriter(jdbc, json);
        this.topology = topology;
    }

    /** Queues {@code message} for the events exchange under {@code routingKey}; needs a running transaction. */
    public void announce(Message message, String routingKey) {
        writer.write(topology.eventsExchange(), routingKey, message);
    }

    /**
     * Queues {@code message} for the control fanout exchange, which every connected worker hears (a worker it is not
     * meant for ignores it); needs a running transaction. The relay counts a broadcast that no worker hears as
     * delivered.
     */
    public void broadcastToWorkers(Message message) {
        writer.write(topology.controlExchange(), "", message);
    }
}
