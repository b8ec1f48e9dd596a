package io.archfarm.scheduler.outbox;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.scheduler.SchedulerProperties;
import java.util.ArrayList;
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
 * waits for a woken round. A round that sent job assignments then rings the {@link Doorbell}, after its commit: the
 * jobs are on their queues before any worker looks.
 */
@Component
class PublishOutboxMessages {

    private static final Logger log = LoggerFactory.getLogger(PublishOutboxMessages.class);

    private final JdbcClient jdbc;
    private final ConfirmedPublisher publisher;
    private final SchedulerProperties properties;
    private final Topology topology;
    private final Doorbell doorbell;
    private final TransactionTemplate transactions;
    private final ReentrantLock relaying = new ReentrantLock();

    PublishOutboxMessages(JdbcClient jdbc, ConfirmedPublisher publisher, SchedulerProperties properties,
            Topology topology, Doorbell doorbell, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.properties = properties;
        this.topology = topology;
        this.doorbell = doorbell;
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

    /** Runs with {@link #relaying} held and lets go of it once the round committed, before the doorbell rings. */
    private void round() {
        List<String> jobQueues;
        try {
            jobQueues = transactions.execute(status -> publishRound());
        } finally {
            relaying.unlock();
        }
        if (jobQueues != null && !jobQueues.isEmpty() && properties.doorbell()) {
            doorbell.ring(jobQueues);
        }
    }

    /** One round in one transaction; returns the job queue of each job assignment the broker confirmed. */
    private List<String> publishRound() {
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
        List<String> jobQueues = new ArrayList<>();
        for (OutboxRow row : rows) {
            if (publish(row) && isJobAssignment(row)) {
                jobQueues.add(row.routingKey());
            }
        }
        return jobQueues;
    }

    private boolean isJobAssignment(OutboxRow row) {
        return row.exchange().equals(topology.jobsExchange())
                && row.messageType().equals(JobAssignment.class.getName());
    }

    private boolean publish(OutboxRow row) {
        try {
            publisher.publish(row);
            jdbc.sql("update outbox set published_at = clock_timestamp(), attempts = attempts + 1, last_error = null"
                    + " where id = :id").param("id", row.id()).update();
            return true;
        } catch (PublishFailedException e) {
            log.warn("outbox row {} ({} to {}/{}) not published, will retry: {}", row.id(), row.messageType(),
                    row.exchange(), row.routingKey(), e.getMessage());
            jdbc.sql("update outbox set attempts = attempts + 1, last_error = :error where id = :id")
                    .param("id", row.id()).param("error", e.getMessage()).update();
            return false;
        }
    }
}
