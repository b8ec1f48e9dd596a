package io.archfarm.portal.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.Message;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the portal announces work: a row in the outbox table, written in the caller's transaction so that the
 * announcement exists exactly when the change it announces does. The scheduler's relay publishes it.
 */
@Component
public class Outbox {

    private final OutboxRepository rows;
    private final JsonMapper json;
    private final Topology topology;
    private final Clock clock;

    Outbox(OutboxRepository rows, JsonMapper json, Topology topology, Clock clock) {
        this.rows = rows;
        this.json = json;
        this.topology = topology;
        this.clock = clock;
    }

    /** Queues {@code message} for the events exchange under {@code routingKey}; needs a running transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void announce(Message message, String routingKey) {
        save(topology.eventsExchange(), routingKey, message);
    }

    /**
     * Queues {@code message} for the control fanout exchange, which every connected worker hears (a worker it is not
     * meant for ignores it); needs a running transaction. The relay counts a broadcast that no worker hears as
     * delivered.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void broadcastToWorkers(Message message) {
        save(topology.controlExchange(), "", message);
    }

    private void save(String exchange, String routingKey, Message message) {
        rows.save(new OutboxEntry(message.messageId(), exchange, routingKey, message.getClass().getName(),
                json.writeValueAsString(message), Instant.now(clock)));
    }
}
