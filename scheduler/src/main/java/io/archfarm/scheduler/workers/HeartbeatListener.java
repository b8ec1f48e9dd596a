package io.archfarm.scheduler.workers;

import io.archfarm.model.Platform;
import io.archfarm.model.WorkerStatus;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.broker.JobQueues;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code workers} as the heartbeats say. last_seen is the scheduler's clock, not the worker's, so a worker
 * with a wrong clock is neither kept alive nor declared dead by it. The job queues of the platforms a worker names
 * and the worker's own job queue (cache affinity) are declared first, outside the transaction: workers wait for them,
 * since they may not declare them themselves.
 */
@Component
class HeartbeatListener {

    static final String CONSUMER = "scheduler.heartbeats";
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatListener.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ProcessedMessages processed;
    private final Clock clock;
    private final RequeueJobsForgottenByWorkers forgotten;
    private final JobQueues jobQueues;
    private final TransactionTemplate transactions;

    HeartbeatListener(JdbcClient jdbc, JsonMapper json, ProcessedMessages processed, Clock clock,
            RequeueJobsForgottenByWorkers forgotten, JobQueues jobQueues, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.processed = processed;
        this.clock = clock;
        this.forgotten = forgotten;
        this.jobQueues = jobQueues;
        this.transactions = new TransactionTemplate(transactions);
    }

    @RabbitListener(queues = "#{@topology.heartbeatsQueue()}")
    void onHeartbeat(WorkerHeartbeat beat) {
        if (beat.workerId() == null || beat.workerId().isBlank()) {
            throw new IllegalArgumentException("heartbeat " + beat.messageId() + " names no worker");
        }
        declareJobQueues(beat);
        transactions.executeWithoutResult(status -> record(beat));
    }

    private void declareJobQueues(WorkerHeartbeat beat) {
        Stream.concat(orEmpty(beat.nativePlatforms()).stream(), orEmpty(beat.emulatedPlatforms()).stream())
                .distinct().forEach(name -> {
                    try {
                        jobQueues.ensureDeclared(Platform.parse(name));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("worker {} names platform '{}', which has no job queue: {}", beat.workerId(), name,
                                e.getMessage());
                    }
                });
        try {
            jobQueues.ensureWorkerQueueDeclared(beat.workerId());
        } catch (AmqpException e) {
            // its heartbeat still counts: the worker takes jobs from the shared queues, and is preferred in vain
            LOG.warn("the own job queue of worker {} cannot be declared, it gets no job by cache affinity: {}",
                    beat.workerId(), e.getMessage());
        }
    }

    private void record(WorkerHeartbeat beat) {
        if (!processed.firstTime(beat.messageId(), CONSUMER)) {
            return;
        }
        WorkerStatus status = beat.draining() ? WorkerStatus.DRAINING : WorkerStatus.ONLINE;
        jdbc.sql("""
                insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, draining,
                    storage_driver, first_seen, last_seen)
                values (:id, :host, cast(:native as jsonb), cast(:emulated as jsonb), :slots, :busy, :status,
                    :draining, :driver, :now, :now)
                on conflict (id) do update set host = excluded.host, native_platforms = excluded.native_platforms,
                    emulated_platforms = excluded.emulated_platforms, slots = excluded.slots, busy = excluded.busy,
                    status = excluded.status, draining = excluded.draining, storage_driver = excluded.storage_driver,
                    last_seen = excluded.last_seen""")
                .param("id", beat.workerId())
                .param("host", beat.host() == null ? "unknown" : beat.host())
                .param("native", json.writeValueAsString(orEmpty(beat.nativePlatforms())))
                .param("emulated", json.writeValueAsString(orEmpty(beat.emulatedPlatforms())))
                .param("slots", beat.slots())
                .param("busy", orEmpty(beat.running()).size())
                .param("status", status.name())
                .param("draining", beat.draining())
                .param("driver", storageDriver(beat))
                .param("now", Timestamps.of(clock.instant()))
                .update();
        forgotten.requeue(beat);
    }

    /** What the worker said, if it is a driver name that fits the column; anything else is not known. */
    private static String storageDriver(WorkerHeartbeat beat) {
        String driver = beat.storageDriver();
        if (driver == null || !driver.matches("[a-z0-9_-]{1,16}")) {
            return null;
        }
        return driver;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
