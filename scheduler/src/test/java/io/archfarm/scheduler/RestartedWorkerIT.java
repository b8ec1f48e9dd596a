package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** A worker that restarts under the same id never falls silent; its heartbeat tells which jobs it lost. */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=2s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class RestartedWorkerIT {

    @Autowired
    Farm farm;

    @Test
    void aJobTheWorkersHeartbeatNoLongerListsIsRequeued() {
        farm.heartbeat("w-1", List.of("linux/amd64"), List.of(), List.of());
        UUID buildId = farm.requestBuild(List.of("linux/amd64"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/x", List.of());
        JobAssignment first = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
        assertThat(farm.claim(first.jobId(), 1, "w-1", ExecutionMode.NATIVE).granted())
                .isTrue();
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
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(farm.jdbc()
                                .sql("select error from job_attempts where job_id = :j and attempt = 1")
                                .param("j", first.jobId())
                                .query(String.class)
                                .single())
                        .isEqualTo("worker w-1 no longer runs attempt 1 (it restarted or dropped the job)"));
        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING");
    }

    /**
     * Heartbeats read late (they waited in the heartbeats queue behind many others) were sent before the claim: that
     * they do not list the job says nothing, so the job stays with its worker however late they are read; a
     * heartbeat sent after the claim that does not list it requeues it.
     */
    @Test
    void heartbeatsSentBeforeTheClaimButReadLateRequeueNothing() {
        Instant sent = Instant.now().minusSeconds(1);
        farm.heartbeatSentAt("w-2", List.of("linux/s390x"), List.of(), sent);
        farm.requestBuild(List.of("linux/s390x"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/y", List.of());
        JobAssignment job = farm.takeAssignment("linux/s390x", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-2", ExecutionMode.NATIVE).granted())
                .isTrue();

        // past the heartbeat timeout since the claim, the worker's heartbeats from before it keep arriving
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (int late = 1; System.nanoTime() < until; late++) {
            farm.heartbeatSentAt("w-2", List.of("linux/s390x"), List.of(), sent.plusMillis(late));
            sleep(300);
            assertThat(farm.job(job.jobId())).containsEntry("status", "RUNNING").containsEntry("attempt", 1);
        }

        farm.heartbeat("w-2", List.of("linux/s390x"), List.of(), List.of());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(farm.job(job.jobId())).containsEntry("attempt", 2));
    }

    /**
     * A worker that finished a job lists it as finished while its result waits in a long queue: the job stays with
     * it (and the result, read late, still ends that attempt) until the worker lists it nowhere.
     */
    @Test
    void aJobTheWorkerListsAsFinishedIsNotTakenBackWhileItsResultIsOnItsWay() {
        farm.heartbeat("w-3", List.of("linux/arm/v7"), List.of(), List.of());
        farm.requestBuild(List.of("linux/arm/v7"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/z", List.of());
        JobAssignment job = farm.takeAssignment("linux/arm/v7", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-3", ExecutionMode.NATIVE).granted())
                .isTrue();
        var finished = List.of(new WorkerHeartbeat.RunningJob(job.jobId(), 1));

        // past the heartbeat timeout since the claim, the worker runs nothing but lists the attempt as finished
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            farm.heartbeatWithFinished("w-3", List.of("linux/arm/v7"), List.of(), finished);
            sleep(300);
            assertThat(farm.job(job.jobId())).containsEntry("status", "RUNNING").containsEntry("attempt", 1);
        }

        farm.heartbeatWithFinished("w-3", List.of("linux/arm/v7"), List.of(), List.of());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(farm.job(job.jobId())).containsEntry("attempt", 2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
