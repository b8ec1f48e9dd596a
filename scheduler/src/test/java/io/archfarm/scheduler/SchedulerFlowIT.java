package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The scheduler against real PostgreSQL and RabbitMQ, with the test playing the portal and the workers. Each test
 * uses platforms of its own, so that the workers of one test do not place the jobs of another.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.native-wait=2s",
            "archfarm.scheduler.unplaceable-timeout=2s",
            "archfarm.scheduler.heartbeat-timeout=60s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class SchedulerFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IMAGE = "127.0.0.1:1/demo/hello";

    @Autowired
    Farm farm;

    @Autowired
    AmqpAdmin admin;

    @Test
    void aRequestedBuildIsFannedOutAndPlacedNativeFirst() {
        farm.heartbeat("w-ppc", List.of("linux/ppc64le"), List.of("linux/riscv64"), List.of());
        awaitWorkerOnline("w-ppc");

        UUID buildId = farm.requestBuildFetchingSubmodules(
                List.of("linux/ppc64le", "linux/riscv64"), "NATIVE_PREFERRED", "ALL", IMAGE, List.of("1.0"));

        JobAssignment nativeJob = farm.takeAssignment("linux/ppc64le", ExecutionMode.NATIVE);
        JobAssignment emulatedJob = farm.takeAssignment("linux/riscv64", ExecutionMode.EMULATED);
        assertThat(nativeJob.buildId()).isEqualTo(buildId);
        assertThat(nativeJob.attempt()).isEqualTo(1);
        assertThat(nativeJob.platform()).isEqualTo("linux/ppc64le");
        assertThat(nativeJob.commit()).isEqualTo("c0ffee0000000000000000000000000000000000");
        assertThat(nativeJob.fetchSubmodules())
                .as("the build asks for submodules")
                .isTrue();
        assertThat(emulatedJob.fetchSubmodules()).isTrue();
        assertThat(nativeJob.image()).isEqualTo(IMAGE);
        assertThat(nativeJob.timeoutSeconds()).isEqualTo(3600);
        assertThat(emulatedJob.platform()).isEqualTo("linux/riscv64");
        assertThat(farm.jobStatus(nativeJob.jobId())).isEqualTo("QUEUED");
        assertThat(farm.job(nativeJob.jobId())).containsEntry("attempt", 1).containsEntry("max_attempts", 3);
        assertThat(farm.poll("linux/riscv64", ExecutionMode.NATIVE)).isNull();
        assertThat(farm.jdbc()
                        .sql("select count(*) from outbox where published_at is null")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aWorkersHeartbeatDeclaresTheJobQueuesOfItsPlatforms() {
        Topology topology = farm.topology();
        String nativeQueue = topology.jobQueue(Platform.parse("linux/arm/v5"), ExecutionMode.NATIVE);
        String emulatedQueue = topology.jobQueue(Platform.parse("linux/arm/v6"), ExecutionMode.EMULATED);
        // workers may not declare job queues: the scheduler does, for what a heartbeat names
        farm.heartbeat("w-armv5", List.of("linux/arm/v5"), List.of("linux/arm/v6"), List.of());
        awaitWorkerOnline("w-armv5");

        assertThat(admin.getQueueInfo(nativeQueue)).as(nativeQueue).isNotNull();
        assertThat(admin.getQueueInfo(emulatedQueue)).as(emulatedQueue).isNotNull();
    }

    @Test
    void theFirstClaimWinsAndStaleOrDuplicateClaimsAreRefused() {
        farm.heartbeat("w-386", List.of("linux/386"), List.of(), List.of());
        awaitWorkerOnline("w-386");
        UUID buildId = farm.requestBuild(List.of("linux/386"), "ANY", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/386", ExecutionMode.NATIVE);
        assertThat(job.fetchSubmodules())
                .as("builds fetch no submodules unless they ask")
                .isFalse();

        ClaimRequest first = new ClaimRequest(UUID.randomUUID(), job.jobId(), 1, "w-386", ExecutionMode.NATIVE);
        ClaimReply won = farm.claim(first);
        ClaimReply second = farm.claim(job.jobId(), 1, "w-other", ExecutionMode.EMULATED);
        ClaimReply stale = farm.claim(job.jobId(), 0, "w-other", ExecutionMode.NATIVE);
        ClaimReply again = farm.claim(first);

        assertThat(won.granted()).isTrue();
        assertThat(won.requestId()).isEqualTo(first.messageId());
        assertThat(second.granted()).isFalse();
        assertThat(second.reason()).isEqualTo("job already running on w-386");
        assertThat(stale.granted()).isFalse();
        assertThat(stale.reason()).isEqualTo("attempt 0 is stale, job is at attempt 1");
        assertThat(again.granted())
                .as("a redelivered claim gets the first answer")
                .isTrue();
        assertThat(farm.job(job.jobId()))
                .containsEntry("status", "RUNNING")
                .containsEntry("worker_id", "w-386")
                .containsEntry("mode", "NATIVE");
        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING");
        assertThat(farm.build(buildId).get("started_at")).isNotNull();
        assertThat(farm.jdbc()
                        .sql("select worker_id from job_attempts where job_id = :j")
                        .param("j", job.jobId())
                        .query(String.class)
                        .list())
                .containsExactly("w-386");
    }

    @Test
    void staleAndRedeliveredResultsChangeNothing() {
        farm.heartbeat("w-v6", List.of("linux/arm/v6"), List.of(), List.of());
        awaitWorkerOnline("w-v6");
        UUID buildId = farm.requestBuild(List.of("linux/arm/v6"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/arm/v6", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-v6", ExecutionMode.NATIVE).granted())
                .isTrue();

        JobFinished stale = farm.finished(job.jobId(), 7, "w-v6", JobOutcome.SUCCEEDED, null);
        JobFinished failed = farm.finished(job.jobId(), 1, "w-v6", JobOutcome.FAILED, "RUN step exited with 1");
        awaitProcessed(failed.messageId());
        awaitProcessed(stale.messageId());
        farm.send(Topology.JOB_FINISHED, failed);
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        failed.messageId(),
                        job.jobId(),
                        1,
                        "w-v6",
                        JobOutcome.SUCCEEDED,
                        "sha256:" + "a".repeat(64),
                        1,
                        "x",
                        null,
                        null,
                        null,
                        null,
                        0));

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat(farm.job(job.jobId()))
                .containsEntry("status", "FAILED")
                .containsEntry("error", "RUN step exited with 1")
                .containsEntry("exit_code", 1)
                .as("the isolation the worker reported is recorded")
                .containsEntry("isolation", "netns, egress none");
        assertThat(farm.jdbc()
                        .sql("""
                        select phases->>'claim' || ' ' || (phases->>'fetch') || ' ' || (phases->>'pull') || ' '
                               || (phases->>'build') || ' ' || (phases->>'push') from platform_jobs where id = :j""")
                        .param("j", job.jobId())
                        .query(String.class)
                        .single())
                .as("the worker's phases are stored as it measured them")
                .isEqualTo("3 40 0 900 60");
        assertThat(farm.jdbc()
                        .sql("""
                        select (phases->>'queueWait')::bigint = round(extract(epoch from started_at - queued_at) * 1000)
                        from platform_jobs where id = :j""")
                        .param("j", job.jobId())
                        .query(Boolean.class)
                        .single())
                .as("the scheduler adds the queue wait, queued to claimed")
                .isTrue();
        assertThat((String) farm.build(buildId).get("error"))
                .isEqualTo("platforms failed: linux/arm/v6 failed: RUN step exited with 1");
        assertThat(farm.jdbc()
                        .sql("select outcome from job_attempts where job_id = :j")
                        .param("j", job.jobId())
                        .query(String.class)
                        .list())
                .containsExactly("FAILED");
    }

    @Test
    void aRedeliveredBuildRequestCreatesNoSecondJob() {
        farm.heartbeat("w-v5", List.of("linux/arm/v5"), List.of(), List.of());
        awaitWorkerOnline("w-v5");
        UUID buildId = farm.requestBuild(List.of("linux/arm/v5"), "NATIVE_PREFERRED", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/arm/v5", ExecutionMode.NATIVE);
        UUID firstMessage = farm.jdbc()
                .sql("select (payload->>'messageId')::uuid from outbox"
                        + " where payload->>'buildId' = :b and message_type = :t")
                .param("t", BuildRequested.class.getName())
                .param("b", buildId.toString())
                .query(UUID.class)
                .single();

        farm.portalOutbox(Topology.BUILD_REQUESTED, new BuildRequested(firstMessage, buildId, Instant.now()));
        farm.portalOutbox(Topology.BUILD_REQUESTED, new BuildRequested(UUID.randomUUID(), buildId, Instant.now()));

        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from outbox where published_at is null")
                                .query(Long.class)
                                .single()
                        == 0);
        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from processed_messages"
                                        + " where consumer = 'scheduler.build-requested'")
                                .query(Long.class)
                                .single()
                        >= 2);
        assertThat(farm.jdbc()
                        .sql("select count(*) from platform_jobs where build_id = :b")
                        .param("b", buildId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(farm.job(job.jobId())).containsEntry("attempt", 1);
        assertThat(farm.poll("linux/arm/v5", ExecutionMode.NATIVE))
                .as("no second assignment")
                .isNull();
    }

    @Test
    void aJobNoWorkerCanBuildFailsWithTheReason() {
        UUID buildId = farm.requestBuild(List.of("linux/s390x"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        UUID jobId = farm.jobOf(buildId, "linux/s390x");

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat(farm.job(jobId))
                .containsEntry("status", "FAILED")
                .containsEntry("error", "no online worker can build linux/s390x natively (placement native-only)");
        assertThat((String) farm.build(buildId).get("error"))
                .contains(
                        "linux/s390x failed: no online worker can build linux/s390x natively (placement native-only)");
    }

    @Test
    void aPlatformsOwnPlacementOverridesTheBuilds() {
        farm.heartbeat("w-s390x-qemu", List.of(), List.of("linux/s390x"), List.of());
        awaitWorkerOnline("w-s390x-qemu");
        // placement "any" would send it to the emulating worker; the platform's own native-only must not
        UUID buildId = farm.requestBuild(
                List.of("linux/s390x"), "ANY", Map.of("linux/s390x", "NATIVE_ONLY"), "ALL", IMAGE, List.of());
        UUID jobId = farm.jobOf(buildId, "linux/s390x");

        assertThat(farm.job(jobId)).containsEntry("placement", "NATIVE_ONLY");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(farm.job(jobId))
                        .containsEntry("status", "FAILED")
                        .containsEntry(
                                "error", "no online worker can build linux/s390x natively (placement native-only)"));
        assertThat(farm.poll("linux/s390x", ExecutionMode.EMULATED))
                .as("never offered to emulation")
                .isNull();
    }

    @Test
    void nativePreferredFallsBackToTheEmulatedQueueAfterTheNativeWait() {
        farm.heartbeat("w-armv7-native", List.of("linux/arm/v7"), List.of(), List.of());
        farm.heartbeat("w-armv7-qemu", List.of(), List.of("linux/arm/v7"), List.of());
        awaitWorkerOnline("w-armv7-native");
        awaitWorkerOnline("w-armv7-qemu");
        UUID buildId = farm.requestBuild(List.of("linux/arm/v7"), "NATIVE_PREFERRED", "ALL", IMAGE, List.of());

        JobAssignment nativeCopy = farm.takeAssignment("linux/arm/v7", ExecutionMode.NATIVE);
        Instant nativeAt = Instant.now();
        assertThat(farm.poll("linux/arm/v7", ExecutionMode.EMULATED))
                .as("not before the native wait")
                .isNull();
        JobAssignment emulatedCopy = farm.takeAssignment("linux/arm/v7", ExecutionMode.EMULATED);

        assertThat(Duration.between(nativeAt, Instant.now())).isGreaterThan(Duration.ofMillis(1000));
        assertThat(emulatedCopy.jobId()).isEqualTo(nativeCopy.jobId());
        assertThat(emulatedCopy.attempt()).isEqualTo(1);
        assertThat(farm.claim(emulatedCopy.jobId(), 1, "w-armv7-qemu", ExecutionMode.EMULATED)
                        .granted())
                .isTrue();
        ClaimReply late = farm.claim(nativeCopy.jobId(), 1, "w-armv7-native", ExecutionMode.NATIVE);
        assertThat(late.granted()).isFalse();
        assertThat(late.reason()).isEqualTo("job already running on w-armv7-qemu");
        assertThat(farm.job(nativeCopy.jobId())).containsEntry("mode", "EMULATED");
        assertThat(farm.build(buildId)).containsEntry("status", "RUNNING");
    }

    @Test
    void cancellingABuildStopsItsRunningJobs() {
        farm.heartbeat("w-amd", List.of("linux/amd64"), List.of(), List.of());
        awaitWorkerOnline("w-amd");
        UUID buildId = farm.requestBuild(List.of("linux/amd64"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-amd", ExecutionMode.NATIVE).granted())
                .isTrue();

        farm.requestCancel(buildId);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(farm.build(buildId))
                        .containsEntry("status", "CANCELLED")
                        .containsEntry("error", "cancelled by bob"));
        assertThat(farm.jobStatus(job.jobId())).isEqualTo("CANCELLED");
        assertThat(farm.claim(job.jobId(), 1, "w-late", ExecutionMode.NATIVE).reason())
                .isEqualTo("build cancelled");
        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from outbox where message_type = :t"
                                        + " and payload->>'jobId' = :j and published_at is not null")
                                .param("t", "io.archfarm.model.messages.CancelJob")
                                .param("j", job.jobId().toString())
                                .query(Long.class)
                                .single()
                        == 1);
    }

    @Test
    void aBuildSupersededByANewerOneEndsCancelledSayingWhich() {
        farm.heartbeat("w-amd", List.of("linux/amd64"), List.of(), List.of());
        awaitWorkerOnline("w-amd");
        UUID buildId = farm.requestBuild(List.of("linux/amd64"), "NATIVE_ONLY", "ALL", IMAGE, List.of());
        JobAssignment job = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-amd", ExecutionMode.NATIVE).granted())
                .isTrue();

        farm.requestCancel(buildId, null, "superseded by #7 (commit 0d1a26e67d8f) of branch main");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(farm.build(buildId))
                        .containsEntry("status", "CANCELLED")
                        .containsEntry("error", "cancelled: superseded by #7 (commit 0d1a26e67d8f) of branch main"));
        assertThat(farm.job(job.jobId()))
                .containsEntry("status", "CANCELLED")
                .containsEntry("error", "cancelled: superseded by #7 (commit 0d1a26e67d8f) of branch main");
    }

    @Test
    void anInfrastructureFailureIsRetriedAtTheNextAttempt() {
        farm.heartbeat("w-arm64", List.of("linux/arm64"), List.of(), List.of());
        awaitWorkerOnline("w-arm64");
        farm.requestBuild(List.of("linux/arm64"), "NATIVE_PREFERRED", "ALL", IMAGE, List.of());
        JobAssignment first = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);
        assertThat(farm.claim(first.jobId(), 1, "w-arm64", ExecutionMode.NATIVE).granted())
                .isTrue();

        farm.finished(first.jobId(), 1, "w-arm64", JobOutcome.INFRA_FAILED, "no space left on device");
        JobAssignment second = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);

        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(farm.jdbc()
                        .sql("select outcome || ': ' || error from job_attempts where job_id = :j")
                        .param("j", first.jobId())
                        .query(String.class)
                        .list())
                .containsExactly("INFRA_FAILED: infrastructure failure on w-arm64: no space left on device");
        assertThat(farm.claim(second.jobId(), 2, "w-arm64", ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
    }

    private void awaitWorkerOnline(String workerId) {
        await("worker " + workerId + " online")
                .atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = :id and status = 'ONLINE'")
                                .param("id", workerId)
                                .query(Long.class)
                                .single()
                        == 1);
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
}
