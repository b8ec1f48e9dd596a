package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.ArchfarmTestServices;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A job whose attempt met an outage of a registry (the worker's INFRA_FAILED names the part) waits out a back-off in
 * the queue, is tried again, and fails only once the registry has been failing for the outage budget, whatever the
 * job's number of attempts.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=60s",
            "archfarm.scheduler.max-attempts=2",
            "archfarm.scheduler.retry-backoff=2s",
            "archfarm.scheduler.retry-backoff-max=2s",
            "archfarm.scheduler.outage-budget=5s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class OutageRetryIT {

    private static final String IMAGE = "127.0.0.1:1/demo/hello";
    private static final String REFUSED = "registry 127.0.0.1:5000 failed the push of 127.0.0.1:5000/demo/hello"
            + " ('connection refused'): the attempt is retried\ndial tcp 127.0.0.1:5000: connect: connection refused";

    @Autowired
    Farm farm;

    @Test
    void anAttemptThatMetAnOutageWaitsOutItsBackOffInTheQueueThenRunsAgain() {
        farm.heartbeat("w-v7", List.of("linux/arm/v7"), List.of(), List.of());
        awaitWorkerOnline("w-v7");
        farm.requestBuild(List.of("linux/arm/v7"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        JobAssignment first = farm.takeAssignment("linux/arm/v7", ExecutionMode.NATIVE);
        assertThat(farm.claim(first.jobId(), 1, "w-v7", ExecutionMode.NATIVE).granted())
                .isTrue();

        farm.finished(first.jobId(), 1, "w-v7", JobOutcome.INFRA_FAILED, REFUSED);
        await().atMost(Duration.ofSeconds(10)).until(() -> "QUEUED".equals(farm.jobStatus(first.jobId())));
        Map<String, Object> queued = farm.job(first.jobId());
        Instant notBefore = ((Timestamp) queued.get("not_before")).toInstant();
        Instant requeued = ((Timestamp) queued.get("queued_at")).toInstant();
        assertThat(Duration.between(requeued, notBefore))
                .as("equal jitter of a 2 s wait")
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(queued)
                .containsEntry("outage_part", "registry 127.0.0.1:5000")
                .containsEntry("outage_failures", 1);
        assertThat(farm.poll("linux/arm/v7", ExecutionMode.NATIVE))
                .as("not dispatched before its back-off ends")
                .isNull();

        JobAssignment second = farm.takeAssignment("linux/arm/v7", ExecutionMode.NATIVE);
        Instant dispatched = Instant.now();

        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(dispatched)
                .as("dispatched once due, by the sweep")
                .isAfterOrEqualTo(notBefore)
                .isBefore(notBefore.plusSeconds(3));
        assertThat(farm.job(first.jobId()))
                .as("an outage does not use up the job's attempts")
                .containsEntry("max_attempts", 3);
        assertThat(farm.claim(second.jobId(), 2, "w-v7", ExecutionMode.NATIVE).granted())
                .isTrue();
    }

    @Test
    void theJobFailsOnlyAfterTheOutageBudgetNamingTheRegistryAndHowLongItWasDown() {
        farm.heartbeat("w-386", List.of("linux/386"), List.of(), List.of());
        awaitWorkerOnline("w-386");
        UUID buildId = farm.requestBuild(List.of("linux/386"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        Instant firstFailure = null;
        UUID jobId = null;
        int attempts = 0;
        for (int round = 0; round < 10 && (jobId == null || "QUEUED".equals(farm.jobStatus(jobId))); round++) {
            JobAssignment job = farm.takeAssignment("linux/386", ExecutionMode.NATIVE);
            jobId = job.jobId();
            assertThat(farm.claim(job.jobId(), job.attempt(), "w-386", ExecutionMode.NATIVE)
                            .granted())
                    .isTrue();
            firstFailure = firstFailure == null ? Instant.now() : firstFailure;
            farm.finished(job.jobId(), job.attempt(), "w-386", JobOutcome.INFRA_FAILED, REFUSED);
            attempts++;
            UUID id = jobId;
            await().atMost(Duration.ofSeconds(10)).until(() -> !"RUNNING".equals(farm.jobStatus(id)));
        }

        assertThat(farm.jobStatus(jobId)).isEqualTo("FAILED");
        assertThat(attempts)
                .as("more attempts than max-attempts (2): the budget bounds an outage")
                .isGreaterThan(2);
        Duration down = Duration.between(firstFailure, Instant.now());
        assertThat(down).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat((String) farm.job(jobId).get("error"))
                .matches("(?s)registry 127\\.0\\.0\\.1:5000 unreachable for [5-9] s since \\d\\d:\\d\\d:\\d\\d UTC,"
                        + " longer than the outage budget of 5 s \\(\\d attempts met it\\): infrastructure failure"
                        + " on w-386: registry 127.0.0.1:5000 failed the push .*");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "FAILED".equals(farm.build(buildId).get("status")));
        assertThat((String) farm.build(buildId).get("error"))
                .startsWith("platforms failed: linux/386 failed: registry 127.0.0.1:5000 unreachable for ");
    }

    @Test
    void aRealFailureStillFailsAtOnce() {
        farm.heartbeat("w-v6", List.of("linux/arm/v6"), List.of(), List.of());
        awaitWorkerOnline("w-v6");
        UUID buildId = farm.requestBuild(List.of("linux/arm/v6"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/arm/v6", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-v6", ExecutionMode.NATIVE).granted())
                .isTrue();

        farm.finished(job.jobId(), 1, "w-v6", JobOutcome.FAILED, "step failed: RUN false exited with code 1");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> "FAILED".equals(farm.build(buildId).get("status")));
        assertThat(farm.job(job.jobId())).containsEntry("attempt", 1).containsEntry("outage_failures", 0);
    }

    private void awaitWorkerOnline(String workerId) {
        await("worker " + workerId + " online")
                .atMost(Duration.ofSeconds(20))
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = :id and status = 'ONLINE'")
                                .param("id", workerId)
                                .query(Long.class)
                                .single()
                        == 1);
    }
}
