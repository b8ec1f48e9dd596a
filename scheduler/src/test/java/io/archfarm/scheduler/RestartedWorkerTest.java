package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** A worker that restarts under the same id never falls silent; its heartbeat tells which jobs it lost. */
@SpringBootTest(properties = {
        "archfarm.scheduler.tick=200ms",
        "archfarm.scheduler.outbox-interval=100ms",
        "archfarm.scheduler.heartbeat-timeout=2s"})
@Import({ArchfarmTestServices.class, Farm.class})
class RestartedWorkerTest {

    @Autowired
    Farm farm;

    @Test
    void aJobTheWorkersHeartbeatNoLongerListsIsRequeued() {
        farm.heartbeat("w-1", List.of("linux/amd64"), List.of(), List.of());
        UUID buildId = farm.requestBuild(List.of("linux/amd64"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/x",
                List.of());
        JobAssignment first = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
        assertThat(farm.claim(first.jobId(), 1, "w-1", ExecutionMode.NATIVE).granted()).isTrue();
        var running = List.of(new WorkerHeartbeat.RunningJob(first.jobId(), 1));

        // while the worker lists the job it keeps it, however long that takes
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            farm.heartbeat("w-1", List.of("linux/amd64"), List.of(), running);
            assertThat(farm.job(first.jobId())).containsEntry("status", "RUNNING");
            sleep(300);
        }

        // the worker restarts: same id, nothing running
        farm.heartbeat("w-1", List.of("linux/amd64"), List.of(), List.of());

        JobAssignment second = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(farm.jdbc()
                .sql("select error from job_attempts where job_id = :j and attempt = 1")
                .param("j", first.jobId()).query(String.class).single())
                .isEqualTo("worker w-1 no longer runs attempt 1 (it restarted or dropped the job)"));
        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
