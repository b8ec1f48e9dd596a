package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** A job that outlives its timeout on a worker that never reports fails for good instead of holding its build. */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=60s",
            "archfarm.scheduler.job-timeout=2s",
            "archfarm.scheduler.result-grace=1s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class OverdueJobIT {

    @Autowired
    Farm farm;

    @Test
    void aJobWithoutAResultPastItsTimeoutFailsAndIsCancelledOnTheWorker() {
        farm.heartbeat("w-hung", List.of("linux/riscv64"), List.of(), List.of());
        UUID buildId =
                farm.requestBuild(List.of("linux/riscv64"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/x", List.of());
        JobAssignment job = farm.takeAssignment("linux/riscv64", ExecutionMode.NATIVE);
        assertThat(job.timeoutSeconds()).isEqualTo(2);
        assertThat(farm.claim(job.jobId(), 1, "w-hung", ExecutionMode.NATIVE).granted())
                .isTrue();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat(farm.job(job.jobId()))
                .containsEntry("status", "FAILED")
                .containsEntry("error", "no result from worker w-hung within the job timeout of 2s and 1s of grace");
        assertThat(farm.jdbc()
                        .sql("select outcome from job_attempts where job_id = :j")
                        .param("j", job.jobId())
                        .query(String.class)
                        .single())
                .isEqualTo("TIMED_OUT");
        assertThat(farm.jdbc()
                        .sql("select count(*) from outbox where message_type = :t and payload->>'jobId' = :j")
                        .param("t", "io.archfarm.model.messages.CancelJob")
                        .param("j", job.jobId().toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
