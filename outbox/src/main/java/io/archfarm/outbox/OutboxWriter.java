package io.archfarm.outbox;

import io.archfarm.model.messages.Message;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of the {@code outbox} table, used by the portal's and the scheduler's {@code Outbox}. A row is
 * written in the caller's transaction, so that it exists exactly when the change it announces was committed; the
 * scheduler's relay publishes it later.
 * <p>
 * The row's id is the message's own {@link Message#messageId()}: the relay sends it as the AMQP message id, so that
 * the header, the payload and the row name the message alike, and consumers dedupe on it. A message is written once
 * (every caller makes a new message with a new id); writing the same id again fails the transaction with a
 * duplicate key. {@code created_at} is the database's clock, one clock for rows written by any service on any host,
 * since the relay sends rows in that order.
 */
public final class OutboxWriter {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public OutboxWriter(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Queues {@code message} for {@code exchange} under {@code routingKey}; needs a running transaction. */
    public void write(String exchange, String routingKey, Message message) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException("an outbox row is written in the transaction of the change it"
                    + " announces, and there is none (" + message.getClass().getSimpleName() + ")");
        }
        jdbc.sql("""
                insert into outbox (id, exchange_name, routing_key, message_type, payload, created_at)
                values (:id, :exchange, :routingKey, :type, cast(:payload as jsonb), clock_timestamp())""")
                .param("id", message.messageId())
                .param("exchange", exchange)
                .param("routingKey", routingKey)
                .param("type", message.getClass().getName())
                .param("payload", json.writeValueAsString(message))
                .update();
    }
}
