package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.SchedulerIntegrationTest;
import io.archfarm.testing.LocalRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Retry failed platforms": only the jobs that did not succeed run again, at the next attempt, and the build is
 * merged a second time into one index of the kept and the new digests. Each test uses platforms of its own.
 */
@SchedulerIntegrationTest
class RetryFailedPlatformsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static LocalRegistry registry;

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws Exception {
        registry = LocalRegistry.start();
        properties.add("archfarm.registry.insecure", () -> registry.address());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRetriedPlatformRunsAtTheNextAttemptAndTheIndexHoldsTheKeptDigestAndTheNewOne() throws Exception {
        String amd64 = PushedImages.push(registry, "t/retry", "amd64", null);
        String arm64 = PushedImages.push(registry, "t/retry", "arm64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/amd64", "linux/arm64"),
                "NATIVE_ONLY",
                "PARTIAL",
                registry.address() + "/t/retry",
                List.of("1.0"));
        JobAssignment amd64Job = claimed(buildId, "linux/amd64");
        succeed(amd64Job, amd64);
        JobAssignment failed = claimed(buildId, "linux/arm64");
        farm.finished(failed.jobId(), 1, worker("linux/arm64"), JobOutcome.FAILED, "RUN make exited with 2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "PARTIAL"));
        assertThat(indexDigests("1.0")).containsExactly(amd64);

        BuildRetryRequested retry = farm.requestRetry(buildId);

        JobAssignment again = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);
        assertThat(again.jobId()).isEqualTo(failed.jobId());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.commit()).isEqualTo(failed.commit());
        assertThat(farm.job(failed.jobId()))
                .containsEntry("status", "QUEUED")
                .containsEntry("attempt", 2)
                .containsEntry("max_attempts", 4)
                .containsEntry("error", null)
                .containsEntry("worker_id", null);
        assertThat(farm.build(buildId))
                .containsEntry("status", "RUNNING")
                .containsEntry("error", null)
                .containsEntry("finished_at", null)
                .containsEntry("retry_requested_at", null);
        assertThat(manifestLists(buildId))
                .as("the partial manifest list is gone until the new merge")
                .isZero();
        assertThat(farm.job(amd64Job.jobId()))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("attempt", 1)
                .containsEntry("digest", amd64);
        assertThat(farm.claim(failed.jobId(), 1, worker("linux/arm64"), ExecutionMode.NATIVE)
                        .reason())
                .isEqualTo("attempt 1 is stale, job is at attempt 2");

        assertThat(farm.claim(again.jobId(), 2, worker("linux/arm64"), ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        succeed(again, arm64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "SUCCEEDED"));
        assertThat(farm.build(buildId)).containsEntry("error", null);
        assertThat(indexDigests("1.0")).containsExactly(amd64, arm64);
        assertThat(manifestLists(buildId)).isEqualTo(1);
        assertThat(farm.jdbc().sql("""
                        select e.platform || '=' || e.digest from manifest_list_entries e
                        join manifest_lists m on m.id = e.manifest_list_id where m.build_id = :b order by e.platform""").param("b", buildId).query(String.class).list())
                .containsExactly("linux/amd64=" + amd64, "linux/arm64=" + arm64);
        assertThat(farm.jdbc()
                        .sql("select attempt || ' ' || outcome from job_attempts where job_id = :j"
                                + " order by attempt")
                        .param("j", failed.jobId())
                        .query(String.class)
                        .list())
                .containsExactly("1 FAILED", "2 SUCCEEDED");

        farm.portalOutbox(Topology.BUILD_RETRY_REQUESTED, retry);
        BuildRetryRequested late = farm.requestRetry(buildId);
        awaitProcessed(late.messageId());
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> unpublished() == 0);
        assertThat(farm.build(buildId)).containsEntry("status", "SUCCEEDED").containsEntry("retry_requested_at", null);
        assertThat(farm.job(failed.jobId()))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("attempt", 2);
        assertThat(farm.poll("linux/arm64", ExecutionMode.NATIVE))
                .as("no third attempt")
                .isNull();
        assertThat(manifestLists(buildId)).isEqualTo(1);
    }

    @Test
    void aCancelledBuildIsReopenedAndItsCancelledJobsQueuedAgain() {
        UUID buildId = farm.requestBuild(
                List.of("linux/s390x"), "NATIVE_ONLY", "ALL", registry.address() + "/t/cancelled", List.of("c1"));
        JobAssignment first = claimed(buildId, "linux/s390x");
        farm.requestCancel(buildId);
        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "CANCELLED"));

        farm.requestRetry(buildId);

        JobAssignment again = farm.takeAssignment("linux/s390x", ExecutionMode.NATIVE);
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING").containsEntry("cancel_requested_at", null);
        assertThat(farm.claim(again.jobId(), 2, worker("linux/s390x"), ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
    }

    @Test
    void aRetryOfARunningBuildIsIgnored() {
        UUID buildId = farm.requestBuild(
                List.of("linux/ppc64le"), "NATIVE_ONLY", "ALL", registry.address() + "/t/running", List.of("x1"));
        JobAssignment job = claimed(buildId, "linux/ppc64le");

        BuildRetryRequested retry = farm.requestRetry(buildId);
        awaitProcessed(retry.messageId());

        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING").containsEntry("retry_requested_at", null);
        assertThat(farm.job(job.jobId()))
                .containsEntry("status", "RUNNING")
                .containsEntry("attempt", 1)
                .containsEntry("max_attempts", 3);
    }

    private JobAssignment claimed(UUID buildId, String platform) {
        farm.heartbeat(worker(platform), List.of(platform), List.of(), List.of());
        JobAssignment job = farm.takeAssignment(platform, ExecutionMode.NATIVE);
        assertThat(job.buildId()).isEqualTo(buildId);
        assertThat(farm.claim(job.jobId(), job.attempt(), worker(platform), ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        return job;
    }

    private void succeed(JobAssignment job, String digest) {
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        job.attempt(),
                        worker(job.platform()),
                        JobOutcome.SUCCEEDED,
                        digest,
                        400,
                        MANIFEST,
                        null,
                        null,
                        Instant.now(),
                        Instant.now(),
                        1000));
    }

    private List<String> indexDigests(String tag) throws Exception {
        JsonNode index = JsonMapper.shared()
                .readTree(registry.get("/v2/t/retry/manifests/" + tag, INDEX).body());
        return index.get("manifests").values().stream()
                .map(m -> m.get("digest").asString())
                .toList();
    }

    private long manifestLists(UUID buildId) {
        return farm.jdbc()
                .sql("select count(*) from manifest_lists where build_id = :b")
                .param("b", buildId)
                .query(Long.class)
                .single();
    }

    private long unpublished() {
        return farm.jdbc()
                .sql("select count(*) from outbox where published_at is null")
                .query(Long.class)
                .single();
    }

    private void awaitProcessed(UUID messageId) {
        await("message " + messageId + " processed")
                .atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from processed_messages where message_id = :id")
                                .param("id", messageId)
                                .query(Long.class)
                                .single()
                        == 1);
    }

    private static String worker(String platform) {
        return "w-retry-" + platform.replace('/', '-');
    }
}
