package io.archfarm.scheduler.workers;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.Farm;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Figures, not a test (its name keeps it out of {@code mvn verify}): how fast one scheduler applies heartbeats. A
 * backlog of {@code archfarm.bench.heartbeats} (20,000) heartbeats from {@code archfarm.bench.workers} (1,000)
 * workers is queued while the listeners stand still, then drained; it prints heartbeats a second and the database's
 * transactions for them. Run: {@code mvn -pl shared-model,db-migrations,scheduler test -Dtest=MessagesJsonTest,
 * MigrationsIT,HeartbeatDrainBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest
@Import({ArchfarmTestServices.class, Farm.class})
class HeartbeatDrainBenchmark {

    @Autowired
    Farm farm;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Topology topology;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Test
    void drainsABacklogOfHeartbeats() throws InterruptedException {
        int total = Integer.getInteger("archfarm.bench.heartbeats", 20_000);
        int workers = Integer.getInteger("archfarm.bench.workers", 1_000);
        listeners.stop();
        Instant sent = Instant.now().minusSeconds(total / workers + 1);
        for (int i = 0; i < total; i++) {
            String worker = String.format("bench-%04d", i % workers);
            farm.send(
                    Topology.WORKER_HEARTBEAT,
                    new WorkerHeartbeat(
                            UUID.randomUUID(),
                            worker,
                            "host-" + worker,
                            List.of("linux/amd64"),
                            List.of(),
                            1,
                            List.of(),
                            false,
                            sent.plusMillis(i / workers * 1000L),
                            "overlay"));
        }
        while (queued() < total) {
            Thread.sleep(50);
        }
        long commitsBefore = commits();
        long start = System.nanoTime();
        listeners.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (queued() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long commits = commits() - commitsBefore;
        System.out.printf(
                "%n[heartbeat drain] %d heartbeats of %d workers drained in %.1f s: %.0f heartbeats/s, "
                        + "%d commits of the database (every client's, over the drain)%n%n",
                total, workers, seconds, total / seconds, commits);
    }

    private long queued() {
        var info = admin.getQueueInfo(topology.heartbeatsQueue());
        return info == null ? 0 : info.getMessageCount();
    }

    private long commits() {
        return jdbc.sql("select xact_commit from pg_stat_database where datname = current_database()")
                .query(Long.class)
                .single();
    }
}
