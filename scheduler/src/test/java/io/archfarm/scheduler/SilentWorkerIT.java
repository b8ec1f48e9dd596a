package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** Workers that stop heart-beating lose their jobs; after max-attempts the job fails with the reason. */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=2s",
            "archfarm.scheduler.unplaceable-timeout=60s",
            "archfarm.scheduler.max-attempts=2"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class SilentWorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    Farm farm;

    @Test
    void aSilentWorkersJobIsRequeuedAtTheNextAttemptThenFailsAfterMaxAttempts() {
        farm.heartbeat("w-1", List.of("linux/arm64"), List.of(), List.of());
        UUID buildId = farm.requestBuild(List.of("linux/arm64"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/x", List.of());
        JobAssignment first = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);
        assertThat(farm.claim(first.jobId(), 1, "w-1", ExecutionMode.NATIVE).granted())
                .isTrue();
        // w-1 now falls silent; w-2 keeps beating so that the job stays placeable
        keepBeating("w-2", Duration.ofSeconds(3));

        JobAssignment second = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);

        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(farm.job(first.jobId())).containsEntry("status", "QUEUED").containsEntry("attempt", 2);
        Map<String, Object> lost = farm.jdbc()
                .sql("select * from job_attempts where job_id = :j and attempt = 1")
                .param("j", first.jobId())
                .query()
                .singleRow();
        assertThat(lost).containsEntry("outcome", "LOST").containsEntry("error", "worker w-1 stopped heart-beating");
        assertThat(lost.get("finished_at")).isNotNull();
        assertThat(farm.jdbc()
                        .sql("select status from workers where id = 'w-1'")
                        .query(String.class)
                        .single())
                .isEqualTo("OFFLINE");
        assertThat(farm.jdbc()
                        .sql("select count(*) from outbox where message_type = :t and payload->>'jobId' = :j"
                                + " and (payload->>'attempt')::int = 1")
                        .param("t", "io.archfarm.model.messages.CancelJob")
                        .param("j", first.jobId().toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(farm.claim(first.jobId(), 1, "w-1", ExecutionMode.NATIVE).reason())
                .isEqualTo("attempt 1 is stale, job is at attempt 2");
        farm.finished(first.jobId(), 1, "w-1", JobOutcome.SUCCEEDED, null);

        assertThat(farm.claim(second.jobId(), 2, "w-2", ExecutionMode.NATIVE).granted())
                .isTrue();
        // now w-2 falls silent too: the second of two attempts is lost, the job fails
        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat(farm.job(first.jobId()))
                .containsEntry("status", "FAILED")
                .containsEntry("error", "gave up after 2 of 2 attempts: worker w-2 stopped heart-beating");
    }

    private void keepBeating(String workerId, Duration howLong) {
        long until = System.nanoTime() + howLong.toNanos();
        farm.heartbeat(workerId, List.of("linux/arm64"), List.of(), List.<WorkerHeartbeat.RunningJob>of());
        Thread beating = Thread.ofVirtual().start(() -> {
            while (System.nanoTime() < until) {
                farm.heartbeat(workerId, List.of("linux/arm64"), List.of(), List.of());
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        assertThat(beating.isAlive()).isTrue();
    }
}
