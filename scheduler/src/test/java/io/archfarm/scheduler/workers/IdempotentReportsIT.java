package io.archfarm.scheduler.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.SchedulerIntegrationTest;
import io.archfarm.scheduler.StoreRows;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Heartbeats (the latest by the worker's clock wins) and log chunks (one row per job, attempt and sequence number)
 * are idempotent by themselves: they write no processed_messages row, and a redelivered or overtaken one changes
 * nothing. The test prints the rows written per message, for the figures.
 */
@SchedulerIntegrationTest
class IdempotentReportsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 50;

    @Autowired
    Farm farm;

    @Test
    void heartbeatsWriteNoDedupRowAndAnOlderOneChangesNothing() {
        long dedupBefore = dedupRows();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < MESSAGES; i++) {
            farm.send(Topology.WORKER_HEARTBEAT, beat("w-idem", List.of("linux/ppc64le"), 2, start.plusMillis(i)));
        }
        await().atMost(WAIT).until(() -> sentAt("w-idem"), start.plusMillis(MESSAGES - 1)::equals);
        long perHeartbeat = dedupRows() - dedupBefore;
        System.out.printf(
                "[figures] processed_messages rows per heartbeat: %.2f (%d heartbeats)%n",
                perHeartbeat / (double) MESSAGES, MESSAGES);
        assertThat(perHeartbeat).isZero();

        // an older heartbeat (redelivered, or overtaken on the way) arrives after a newer one
        farm.send(Topology.WORKER_HEARTBEAT, beat("w-idem", List.of("linux/s390x"), 7, start.minusSeconds(1)));
        farm.send(Topology.WORKER_HEARTBEAT, beat("w-idem-marker", List.of(), 1, Instant.now()));
        await().atMost(WAIT).until(() -> sentAt("w-idem-marker") != null);
        assertThat(farm.jdbc()
                        .sql("select slots from workers where id = 'w-idem'")
                        .query(Integer.class)
                        .single())
                .as("the older heartbeat's slots")
                .isEqualTo(2);
    }

    @Test
    void logChunksWriteNoDedupRowAndARedeliveredOneIsStoredOnce() {
        StoreRows rows = new StoreRows(farm.jdbc());
        UUID job = rows.job(rows.build("RUNNING", "127.0.0.1:1/demo/logs"), "linux/amd64", "RUNNING", 1);
        long dedupBefore = dedupRows();
        for (int i = 0; i < MESSAGES; i++) {
            farm.send(Topology.JOB_LOG, new JobLogChunk(UUID.randomUUID(), job, 1, i, "line " + i + "\n"));
        }
        // the same chunk again, as a redelivery with its own id and as a duplicate with a new one
        JobLogChunk again = new JobLogChunk(UUID.randomUUID(), job, 1, 0, "line 0\n");
        farm.send(Topology.JOB_LOG, again);
        farm.send(Topology.JOB_LOG, again);
        await().atMost(WAIT).until(() -> logRows(job) == MESSAGES);
        farm.send(Topology.JOB_LOG, new JobLogChunk(UUID.randomUUID(), job, 1, MESSAGES, "last\n"));
        await().atMost(WAIT).until(() -> logRows(job) == MESSAGES + 1);

        long perChunk = dedupRows() - dedupBefore;
        System.out.printf(
                "[figures] processed_messages rows per log chunk: %.2f (%d chunks)%n",
                perChunk / (double) (MESSAGES + 3), MESSAGES + 3);
        assertThat(perChunk).isZero();
        assertThat(farm.jdbc()
                        .sql("select content from job_logs where job_id = :j and seq = 0")
                        .param("j", job)
                        .query(String.class)
                        .single())
                .isEqualTo("line 0\n");
    }

    private static WorkerHeartbeat beat(String worker, List<String> platforms, int slots, Instant sentAt) {
        return new WorkerHeartbeat(
                UUID.randomUUID(), worker, "host-" + worker, platforms, List.of(), slots, List.of(), false, sentAt);
    }

    private Instant sentAt(String worker) {
        return farm.jdbc()
                .sql("select heartbeat_sent_at from workers where id = :id")
                .param("id", worker)
                .query(OffsetDateTime.class)
                .optional()
                .map(OffsetDateTime::toInstant)
                .orElse(null);
    }

    private long dedupRows() {
        return farm.jdbc()
                .sql("select count(*) from processed_messages")
                .query(Long.class)
                .single();
    }

    private long logRows(UUID job) {
        return farm.jdbc()
                .sql("select count(*) from job_logs where job_id = :j")
                .param("j", job)
                .query(Long.class)
                .single();
    }
}
