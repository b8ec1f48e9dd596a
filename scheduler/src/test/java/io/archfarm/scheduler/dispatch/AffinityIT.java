package io.archfarm.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.broker.JobQueues;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Cache affinity against real PostgreSQL and RabbitMQ, the test playing the portal and two workers that both build
 * linux/ppc64le natively. Every build here is of the same repository (a build of no project counts as its
 * repository's).
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.native-wait=30s",
            "archfarm.scheduler.affinity-wait=2s",
            "archfarm.scheduler.heartbeat-timeout=60s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class AffinityIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PLATFORM = "linux/ppc64le";
    private static final String IMAGE = "127.0.0.1:1/demo/hello";

    @Autowired
    Farm farm;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    JobQueues jobQueues;

    /** The first version declared a worker's own queue as a quorum queue: it is replaced, not a failed declaration. */
    @Test
    void aWorkersOwnQueueDeclaredAsAQuorumQueueBeforeIsDeclaredAgain() {
        String queue = farm.topology().workerJobQueue("w-earlier");
        admin.declareQueue(QueueBuilder.durable(queue).quorum().build());
        farm.rabbit().convertAndSend("", queue, "an offer of before");
        await().atMost(WAIT).until(() -> admin.getQueueInfo(queue).getMessageCount() == 1);

        assertThat(jobQueues.ensureWorkerQueueDeclared("w-earlier")).isEqualTo(queue);

        assertThat(admin.getQueueInfo(queue))
                .as("declared again, empty")
                .isNotNull()
                .satisfies(info -> assertThat(info.getMessageCount()).isZero());
        admin.deleteQueue(queue);
    }

    /**
     * The second version declared it durable, which a cluster cannot declare again while the queue's node is down: it
     * is replaced by a transient one (a durable declaration of it is then refused as a different queue).
     */
    @Test
    void aWorkersOwnQueueDeclaredDurableBeforeIsDeclaredAgainAsATransientQueue() {
        String queue = farm.topology().workerJobQueue("w-durable");
        Queue durable = QueueBuilder.durable(queue)
                .classic()
                .expires((int) JobQueues.WORKER_QUEUE_EXPIRY.toMillis())
                .build();
        admin.declareQueue(durable);

        assertThat(jobQueues.ensureWorkerQueueDeclared("w-durable")).isEqualTo(queue);

        assertThatThrownBy(() -> admin.declareQueue(durable))
                .as("declaring it durable again")
                .isInstanceOf(AmqpException.class);
        admin.deleteQueue(queue);
    }

    @Test
    void aJobWaitsBrieflyForTheWorkerThatLastBuiltItsProjectAndPlatform() {
        heartbeat("w-a", false);
        heartbeat("w-b", false);
        awaitOnline("w-a");
        awaitOnline("w-b");
        assertThat(admin.getQueueInfo(farm.topology().workerJobQueue("w-a")))
                .as("declared on the heartbeat")
                .isNotNull();

        // nothing built yet: no preferred worker, the shared queue at once
        build();
        JobAssignment first = farm.takeAssignment(PLATFORM, ExecutionMode.NATIVE);
        assertThat(first.mode()).isNull();
        assertThat(claim(first, "w-a", ExecutionMode.NATIVE).granted()).isTrue();
        assertThat(farm.job(first.jobId())).containsEntry("affinity", "NONE").containsEntry("affinity_worker", null);
        succeed(first, "w-a");

        // w-a built it: the next build's job is offered to w-a alone, which claims it in the mode the offer says
        UUID second = build();
        JobAssignment offered = takeOffer("w-a");
        assertThat(offered.jobId()).isEqualTo(farm.jobOf(second, PLATFORM));
        assertThat(offered.mode()).isEqualTo(ExecutionMode.NATIVE);
        assertThat(farm.poll(PLATFORM, ExecutionMode.NATIVE))
                .as("not on the shared queue meanwhile")
                .isNull();
        assertThat(claim(offered, "w-a", offered.mode()).granted()).isTrue();
        assertThat(farm.job(offered.jobId()))
                .containsEntry("affinity", "HIT")
                .containsEntry("affinity_worker", "w-a")
                .containsEntry("mode", "NATIVE");
        succeed(offered, "w-a");

        // w-a does not take it (busy): after the wait the shared queue has it, w-b claims it, a miss
        Instant queued = Instant.now();
        UUID third = build();
        JobAssignment shared = farm.takeAssignment(PLATFORM, ExecutionMode.NATIVE);
        assertThat(Duration.between(queued, Instant.now()))
                .as("the affinity wait")
                .isGreaterThan(Duration.ofMillis(1500));
        assertThat(shared.jobId()).isEqualTo(farm.jobOf(third, PLATFORM));
        assertThat(claim(shared, "w-b", ExecutionMode.NATIVE).granted()).isTrue();
        assertThat(farm.job(shared.jobId())).containsEntry("affinity", "MISS").containsEntry("affinity_worker", "w-a");
        JobAssignment late = takeOffer("w-a");
        ClaimReply refused = claim(late, "w-a", late.mode());
        assertThat(refused.granted())
                .as("the copy left on w-a's queue is stale")
                .isFalse();
        assertThat(refused.reason()).isEqualTo("job already running on w-b");
        succeed(shared, "w-b");

        // w-b built it last but drains: the job goes at once to the next warm worker, w-a
        heartbeat("w-b", true);
        await().atMost(WAIT).until(() -> "DRAINING".equals(workerStatus("w-b")));
        UUID fourth = build();
        JobAssignment next = takeOffer("w-a");
        assertThat(next.jobId()).isEqualTo(farm.jobOf(fourth, PLATFORM));
        assertThat(farm.rabbit().receiveAndConvert(farm.topology().workerJobQueue("w-b")))
                .isNull();
        assertThat(claim(next, "w-a", next.mode()).granted()).isTrue();
        assertThat(farm.job(next.jobId())).containsEntry("affinity", "HIT");
    }

    private UUID build() {
        return farm.requestBuild(List.of(PLATFORM), "NATIVE_PREFERRED", "ALL", IMAGE, List.of());
    }

    private JobAssignment takeOffer(String worker) {
        String queue = farm.topology().workerJobQueue(worker);
        return await("a JobAssignment in " + queue)
                .atMost(WAIT)
                .until(() -> (JobAssignment) farm.rabbit().receiveAndConvert(queue), a -> a != null);
    }

    private ClaimReply claim(JobAssignment job, String worker, ExecutionMode mode) {
        return farm.claim(job.jobId(), job.attempt(), worker, mode);
    }

    private void succeed(JobAssignment job, String worker) {
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        job.attempt(),
                        worker,
                        JobOutcome.SUCCEEDED,
                        "sha256:" + "b".repeat(64),
                        1234,
                        "application/vnd.oci.image.manifest.v1+json",
                        null,
                        null,
                        Instant.now(),
                        Instant.now(),
                        10));
        await("job " + job.jobId() + " succeeded")
                .atMost(WAIT)
                .until(() -> "SUCCEEDED".equals(farm.jobStatus(job.jobId())));
    }

    private void heartbeat(String worker, boolean draining) {
        farm.send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        worker,
                        "host-" + worker,
                        List.of(PLATFORM),
                        List.of(),
                        1,
                        List.of(),
                        draining,
                        Instant.now()));
    }

    private void awaitOnline(String worker) {
        await("worker " + worker + " online").atMost(WAIT).until(() -> "ONLINE".equals(workerStatus(worker)));
    }

    private String workerStatus(String worker) {
        return farm.jdbc()
                .sql("select status from workers where id = :id")
                .param("id", worker)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
