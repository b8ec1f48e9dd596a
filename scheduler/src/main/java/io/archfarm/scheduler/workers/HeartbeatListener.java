package io.archfarm.scheduler.workers;

import io.archfarm.model.Platform;
import io.archfarm.model.WorkerStatus;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.broker.BrokerConfiguration;
import io.archfarm.scheduler.broker.JobQueues;
import io.archfarm.scheduler.dispatch.DispatchQueuedJobs;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code workers} as the heartbeats say. last_seen is the scheduler's clock, not the worker's, so a worker
 * with a wrong clock is neither kept alive nor declared dead by it. A heartbeat is a state where the latest wins: it
 * applies only when the worker sent it after the one the row shows (by the worker's clock, heartbeat_sent_at), so a
 * redelivered or overtaken heartbeat changes nothing and none needs a processed_messages row. A worker whose clock
 * stepped back by more than the heartbeat timeout is believed again rather than left to look dead. A worker that
 * joined, came back or changed its platforms gets the queued jobs of its platforms dispatched at once. The job queues
 * of the platforms a worker names and the worker's own job queue (cache affinity) are declared first, outside the
 * transaction: workers wait for them, since they may not declare them themselves.
 *
 * <p>Heartbeats come in batches (see {@code BrokerConfiguration#heartbeatListenerContainerFactory}): a fleet of 1,000
 * workers sends hundreds a second, and one transaction each cost the scheduler and PostgreSQL more than all the
 * builds. A batch keeps only each worker's latest heartbeat (those a backlog holds behind it say nothing newer) and
 * applies them in one transaction, in worker order so two schedulers lock worker rows in the same order. A heartbeat
 * that cannot be read or breaks a rule is logged and dropped alone; should the batch's transaction fail on one
 * heartbeat's data, each is applied in a transaction of its own, so one bad heartbeat never costs the others theirs.
 */
@Component
class HeartbeatListener {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatListener.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final SchedulerProperties properties;
    private final DispatchQueuedJobs dispatcher;
    private final Clock clock;
    private final RequeueJobsForgottenByWorkers forgotten;
    private final JobQueues jobQueues;
    private final TransactionTemplate transactions;
    private final MessageConverter converter;

    HeartbeatListener(
            JdbcClient jdbc,
            JsonMapper json,
            SchedulerProperties properties,
            Clock clock,
            RequeueJobsForgottenByWorkers forgotten,
            JobQueues jobQueues,
            PlatformTransactionManager transactions,
            DispatchQueuedJobs dispatcher,
            MessageConverter converter) {
        this.jdbc = jdbc;
        this.converter = converter;
        this.json = json;
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.forgotten = forgotten;
        this.jobQueues = jobQueues;
        this.transactions = new TransactionTemplate(transactions);
    }

    @RabbitListener(
            queues = "#{@topology.heartbeatsQueue()}",
            containerFactory = BrokerConfiguration.HEARTBEAT_LISTENER_CONTAINER_FACTORY)
    void onHeartbeats(List<Message> messages) {
        List<WorkerHeartbeat> beats = LatestHeartbeats.of(messages, this::read);
        beats.forEach(this::declareJobQueues);
        List<WorkerHeartbeat> joined;
        try {
            joined = transactions.execute(status -> recordAll(beats));
        } catch (DataIntegrityViolationException | IllegalArgumentException | IllegalStateException e) {
            LOG.warn(
                    "a batch of {} heartbeats failed on one of them ({}), applying each on its own",
                    beats.size(),
                    reason(e));
            joined = beats.stream().filter(this::recordAlone).toList();
        }
        List<Platform> toDispatch = joined.stream()
                .filter(beat -> !beat.draining())
                .flatMap(HeartbeatListener::platforms)
                .distinct()
                .flatMap(HeartbeatListener::known)
                .toList();
        if (!toDispatch.isEmpty()) {
            dispatcher.dispatchPlatforms(toDispatch);
        }
    }

    /** The heartbeat a message holds, or null (logged) when it holds none the scheduler can apply. */
    private @Nullable WorkerHeartbeat read(Message message) {
        try {
            if (converter.fromMessage(message) instanceof WorkerHeartbeat beat) {
                if (beat.workerId() != null && !beat.workerId().isBlank()) {
                    return beat;
                }
                LOG.warn("heartbeat {} names no worker, dropped", beat.messageId());
            } else {
                LOG.warn(
                        "a message on the heartbeats queue is no heartbeat, dropped: {}",
                        message.getMessageProperties());
            }
        } catch (MessageConversionException e) {
            LOG.warn("a heartbeat cannot be read, dropped: {}", e.getMessage());
        }
        return null;
    }

    /** Applies the heartbeats in the caller's transaction; returns those of workers worth a dispatch. */
    private List<WorkerHeartbeat> recordAll(List<WorkerHeartbeat> beats) {
        return beats.stream().filter(beat -> Boolean.TRUE.equals(record(beat))).toList();
    }

    /** Applies one heartbeat in a transaction of its own; one that breaks a rule is logged and dropped. */
    private boolean recordAlone(WorkerHeartbeat beat) {
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> record(beat)));
        } catch (DataIntegrityViolationException | IllegalArgumentException | IllegalStateException e) {
            LOG.warn(
                    "heartbeat {} of worker {} cannot be applied, dropped: {}",
                    beat.messageId(),
                    beat.workerId(),
                    reason(e));
            return false;
        }
    }

    /** What PostgreSQL said, not the statement around it. */
    private static @Nullable String reason(RuntimeException e) {
        return e instanceof DataIntegrityViolationException violation
                ? violation.getMostSpecificCause().getMessage()
                : e.getMessage();
    }

    private static Stream<String> platforms(WorkerHeartbeat beat) {
        return Stream.concat(orEmpty(beat.nativePlatforms()).stream(), orEmpty(beat.emulatedPlatforms()).stream())
                .distinct();
    }

    private static Stream<Platform> known(String name) {
        try {
            return Stream.of(Platform.parse(name));
        } catch (IllegalArgumentException e) {
            return Stream.empty();
        }
    }

    private void declareJobQueues(WorkerHeartbeat beat) {
        platforms(beat).forEach(name -> {
            try {
                jobQueues.ensureDeclared(Platform.parse(name));
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "worker {} names platform '{}', which has no job queue: {}",
                        beat.workerId(),
                        name,
                        e.getMessage());
            }
        });
        try {
            jobQueues.ensureWorkerQueueDeclared(beat.workerId());
        } catch (AmqpException e) {
            // its heartbeat still counts: the worker takes jobs from the shared queues, and is preferred in vain
            LOG.warn(
                    "the own job queue of worker {} cannot be declared, it gets no job by cache affinity: {}",
                    beat.workerId(),
                    e.getMessage());
        }
    }

    /**
     * Applies the heartbeat unless the row shows a later one; returns null when it did not apply, else whether the
     * worker joined, came back or changed its platforms (its platforms' queued jobs are then worth a dispatch).
     */
    private @Nullable Boolean record(WorkerHeartbeat beat) {
        WorkerStatus status = beat.draining() ? WorkerStatus.DRAINING : WorkerStatus.ONLINE;
        String nativePlatforms = json.writeValueAsString(orEmpty(beat.nativePlatforms()));
        String emulatedPlatforms = json.writeValueAsString(orEmpty(beat.emulatedPlatforms()));
        Boolean joined = jdbc.sql("""
                with before as (select status, native_platforms, emulated_platforms from workers where id = :id)
                insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, draining,
                    storage_driver, tools, first_seen, last_seen, heartbeat_sent_at)
                values (:id, :host, cast(:native as jsonb), cast(:emulated as jsonb), :slots, :busy, :status,
                    :draining, :driver, cast(:tools as jsonb), :now, :now, :sent)
                on conflict (id) do update set host = excluded.host, native_platforms = excluded.native_platforms,
                    emulated_platforms = excluded.emulated_platforms, slots = excluded.slots, busy = excluded.busy,
                    status = excluded.status, draining = excluded.draining, storage_driver = excluded.storage_driver,
                    tools = excluded.tools, last_seen = excluded.last_seen,
                    heartbeat_sent_at = excluded.heartbeat_sent_at
                where workers.heartbeat_sent_at is null or excluded.heartbeat_sent_at is null
                    or excluded.heartbeat_sent_at > workers.heartbeat_sent_at
                    or excluded.heartbeat_sent_at < workers.heartbeat_sent_at - :clockStep * interval '1 millisecond'
                returning coalesce((select b.status <> 'ONLINE' or b.native_platforms <> cast(:native as jsonb)
                    or b.emulated_platforms <> cast(:emulated as jsonb) from before b), true)""")
                .param("id", beat.workerId())
                .param("host", beat.host() == null ? "unknown" : beat.host())
                .param("native", nativePlatforms)
                .param("emulated", emulatedPlatforms)
                .param("slots", beat.slots())
                .param("busy", orEmpty(beat.running()).size())
                .param("status", status.name())
                .param("draining", beat.draining())
                .param("driver", storageDriver(beat))
                .param("tools", ReportedTools.json(beat.tools(), json))
                .param("now", Timestamps.of(clock.instant()))
                .param("sent", Timestamps.of(beat.sentAt()))
                .param("clockStep", properties.heartbeatTimeout().toMillis())
                .query(Boolean.class)
                .optional()
                .orElse(null);
        if (joined == null) {
            LOG.debug(
                    "heartbeat {} of worker {} sent at {} is older than the one applied, ignored",
                    beat.messageId(),
                    beat.workerId(),
                    beat.sentAt());
            return null;
        }
        forgotten.requeue(beat);
        return joined;
    }

    /** What the worker said, if it is a driver name that fits the column; anything else is not known. */
    private static @Nullable String storageDriver(WorkerHeartbeat beat) {
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
