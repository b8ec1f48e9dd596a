package io.archfarm.scheduler.outbox;

import io.archfarm.scheduler.SchedulerProperties;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay: publishes unpublished rows in the order they were written, with publisher confirms, and marks a
 * row published only after the broker acked it. Rows are locked with {@code skip locked}, so several schedulers may
 * relay at once without sending a row twice in the normal case (a crash after the ack and before the commit sends it
 * again; consumers are idempotent for that).
 * <p>
 * It runs on its tick and, through {@link RelayAfterCommit}, right after a scheduler transaction that wrote rows
 * committed. Within one scheduler the rounds take turns (a lock held until the round committed), so that a woken
 * round never overtakes the rows a ticking round holds, and the tick, on the thread all scheduled duties share, never
 * waits for a woken round. Workers consume the job queues, so a job assignment reaches a free slot as soon as the
 * broker confirmed it.
 */
@Component
class PublishOutboxMessages {

    private static final Logger log = LoggerFactory.getLogger(PublishOutboxMessages.class);

    private final JdbcClient jdbc;
    private final ConfirmedPublisher publisher;
    private final SchedulerProperties properties;
    private final TransactionTemplate transactions;
    private final ReentrantLock relaying = new ReentrantLock();

    PublishOutboxMessages(
            JdbcClient jdbc,
            ConfirmedPublisher publisher,
            SchedulerProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** The tick; it skips while a woken round runs (that round sends what is there, the next tick what comes). */
    @Scheduled(fixedDelayString = "${archfarm.scheduler.outbox-interval:50ms}")
    public void tick() {
        if (relaying.tryLock()) {
            round();
        }
    }

    /** A round now, after the one running if any (a round started before a commit may not have seen its rows). */
    void publishPending() {
        relaying.lock();
        round();
    }

    /** Runs with {@link #relaying} held and lets go of it once the round committed. */
    private void round() {
        try {
            transactions.executeWithoutResult(status -> publishRound());
        } finally {
            relaying.unlock();
        }
    }

    /** One round in one transaction. */
    private void publishRound() {
        List<OutboxRow> rows = jdbc.sql("""
                select id, exchange_name, routing_key, message_type, payload::text as payload
                from outbox where published_at is null
                order by created_at
                limit :batch
                for update skip locked""")
                .param("batch", properties.outboxBatch())
                .query((rs, n) -> new OutboxRow(
                        rs.getObject("id", UUID.class),
                        rs.getString("exchange_name"),
                        rs.getString("routing_key"),
                        rs.getString("message_type"),
                        rs.getString("payload")))
                .list();
        for (OutboxRow row : rows) {
            publish(row);
        }
    }

    private void publish(OutboxRow row) {
        try {
            publisher.publish(row);
            jdbc.sql("update outbox set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null"
                            + " where id = :id")
                    .param("id", row.id())
                    .update();
        } catch (PublishFailedException e) {
            log.warn(
                    "outbox row {} ({} to {}/{}) not published, will retry: {}",
                    row.id(),
                    row.messageType(),
                    row.exchange(),
                    row.routingKey(),
                    e.getMessage());
            jdbc.sql("update outbox set attempts = attempts + 1, last_error = :error where id = :id")
                    .param("id", row.id())
                    .param("error", e.getMessage())
                    .update();
        }
    }
}
