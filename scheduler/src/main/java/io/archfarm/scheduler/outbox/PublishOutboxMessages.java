package io.archfarm.scheduler.outbox;

import io.archfarm.scheduler.SchedulerProperties;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox relay: publishes unpublished rows in the order they were written, with publisher confirms, and marks a
 * row published only after the broker acked it. Rows are locked with {@code skip locked}, so several schedulers may
 * relay at once without sending a row twice in the normal case (a crash after the ack and before the commit sends it
 * again; consumers are idempotent for that).
 */
@Component
class PublishOutboxMessages {

    private static final Logger log = LoggerFactory.getLogger(PublishOutboxMessages.class);

    private final JdbcClient jdbc;
    private final ConfirmedPublisher publisher;
    private final SchedulerProperties properties;

    PublishOutboxMessages(JdbcClient jdbc, ConfirmedPublisher publisher, SchedulerProperties properties) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.outbox-interval:50ms}")
    @Transactional
    public void publishPending() {
        List<OutboxRow> rows = jdbc.sql("""
                select id, exchange_name, routing_key, message_type, payload::text as payload
                from outbox where published_at is null
                order by created_at
                limit :batch
                for update skip locked""")
                .param("batch", properties.outboxBatch())
                .query((rs, n) -> new OutboxRow(rs.getObject("id", UUID.class), rs.getString("exchange_name"),
                        rs.getString("routing_key"), rs.getString("message_type"), rs.getString("payload")))
                .list();
        for (OutboxRow row : rows) {
            publish(row);
        }
    }

    private void publish(OutboxRow row) {
        try {
            publisher.publish(row);
            jdbc.sql("update outbox set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null"
                    + " where id = :id").param("id", row.id()).update();
        } catch (PublishFailedException e) {
            log.warn("outbox row {} ({} to {}/{}) not published, will retry: {}", row.id(), row.messageType(),
                    row.exchange(), row.routingKey(), e.getMessage());
            jdbc.sql("update outbox set attempts = attempts + 1, last_error = :error where id = :id")
                    .param("id", row.id()).param("error", e.getMessage()).update();
        }
    }
}
