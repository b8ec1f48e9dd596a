package io.archfarm.scheduler.workers;

import io.archfarm.model.WorkerStatus;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.Timestamps;
import java.time.Clock;
import java.util.List;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code workers} as the heartbeats say. last_seen is the scheduler's clock, not the worker's, so a worker
 * with a wrong clock is neither kept alive nor declared dead by it.
 */
@Component
class HeartbeatListener {

    static final String CONSUMER = "scheduler.heartbeats";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ProcessedMessages processed;
    private final Clock clock;
    private final RequeueJobsForgottenByWorkers forgotten;

    HeartbeatListener(JdbcClient jdbc, JsonMapper json, ProcessedMessages processed, Clock clock,
            RequeueJobsForgottenByWorkers forgotten) {
        this.jdbc = jdbc;
        this.json = json;
        this.processed = processed;
        this.clock = clock;
        this.forgotten = forgotten;
    }

    @RabbitListener(queues = "#{@topology.heartbeatsQueue()}")
    @Transactional
    void onHeartbeat(WorkerHeartbeat beat) {
        if (!processed.firstTime(beat.messageId(), CONSUMER)) {
            return;
        }
        if (beat.workerId() == null || beat.workerId().isBlank()) {
            throw new IllegalArgumentException("heartbeat " + beat.messageId() + " names no worker");
        }
        WorkerStatus status = beat.draining() ? WorkerStatus.DRAINING : WorkerStatus.ONLINE;
        jdbc.sql("""
                insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, draining,
                    first_seen, last_seen)
                values (:id, :host, cast(:native as jsonb), cast(:emulated as jsonb), :slots, :busy, :status,
                    :draining, :now, :now)
                on conflict (id) do update set host = excluded.host, native_platforms = excluded.native_platforms,
                    emulated_platforms = excluded.emulated_platforms, slots = excluded.slots, busy = excluded.busy,
                    status = excluded.status, draining = excluded.draining, last_seen = excluded.last_seen""")
                .param("id", beat.workerId())
                .param("host", beat.host() == null ? "unknown" : beat.host())
                .param("native", json.writeValueAsString(orEmpty(beat.nativePlatforms())))
                .param("emulated", json.writeValueAsString(orEmpty(beat.emulatedPlatforms())))
                .param("slots", beat.slots())
                .param("busy", orEmpty(beat.running()).size())
                .param("status", status.name())
                .param("draining", beat.draining())
                .param("now", Timestamps.of(clock.instant()))
                .update();
        forgotten.requeue(beat);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
