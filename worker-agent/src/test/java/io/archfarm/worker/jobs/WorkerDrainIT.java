package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.DrainWorker;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.worker.WorkerApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A drain order stops the worker taking jobs and its heartbeat says so; a resume order starts it again; an order
 * for another worker changes nothing. The test stands in for the portal (orders on the control fanout) and the
 * scheduler (claims refused, so that nothing is built and no build tool is needed).
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=drain-it",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=none",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.claim-timeout=5s"
        })
@Import(ArchfarmTestBroker.class)
class WorkerDrainIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    @Autowired
    RabbitTemplate template;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    Topology topology;

    @DynamicPropertySource
    static void workDir(DynamicPropertyRegistry properties) {
        properties.add("archfarm.worker.work-dir", () -> dir.resolve("worker").toString());
    }

    @BeforeEach
    void schedulerTopology() {
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64));
            return null;
        });
    }

    @Test
    void aDrainedWorkerTakesNoJobAndSaysSoUntilItIsResumed() {
        String jobQueue = topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE);
        awaitHeartbeat(heartbeat -> !heartbeat.draining());

        order("another-worker", true);
        JobAssignment first = job();
        template.convertAndSend(topology.jobsExchange(), jobQueue, first);
        assertThat(refuseNextClaim().jobId())
                .as("an order for another worker changes nothing")
                .isEqualTo(first.jobId());

        order("drain-it", true);
        assertThat(awaitHeartbeat(WorkerHeartbeat::draining).workerId()).isEqualTo("drain-it");
        JobAssignment waiting = job();
        template.convertAndSend(topology.jobsExchange(), jobQueue, waiting);
        await("the job left alone")
                .during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> admin.getQueueInfo(jobQueue).getMessageCount() == 1
                        && admin.getQueueInfo(topology.claimsQueue()).getMessageCount() == 0);

        order("drain-it", false);
        awaitHeartbeat(heartbeat -> !heartbeat.draining());
        assertThat(refuseNextClaim().jobId()).as("polling again").isEqualTo(waiting.jobId());
        await().atMost(WAIT).until(() -> admin.getQueueInfo(jobQueue).getMessageCount() == 0);
    }

    private void order(String workerId, boolean draining) {
        template.convertAndSend(
                topology.controlExchange(),
                "",
                new DrainWorker(UUID.randomUUID(), workerId, draining, "admin", Instant.now()));
    }

    private static JobAssignment job() {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                "https://git.example/none.git",
                "main",
                "a".repeat(40),
                false,
                "Containerfile",
                ".",
                Map.of(),
                "127.0.0.1:5000/demo/drain",
                600);
    }

    /** Answers the next claim with a refusal, as the scheduler does for a stale copy, and returns it. */
    private ClaimRequest refuseNextClaim() {
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> template.receiveAndReply(topology.claimsQueue(), (ClaimRequest request) -> {
                    claims.add(request);
                    return new ClaimReply(UUID.randomUUID(), request.messageId(), false, "refused by the test");
                }));
        return claims.getFirst();
    }

    private WorkerHeartbeat awaitHeartbeat(Predicate<WorkerHeartbeat> matching) {
        return await("a matching heartbeat")
                .atMost(WAIT)
                .until(
                        () -> {
                            Object message = template.receiveAndConvert(topology.heartbeatsQueue());
                            return message instanceof WorkerHeartbeat heartbeat && matching.test(heartbeat)
                                    ? heartbeat
                                    : null;
                        },
                        heartbeat -> heartbeat != null);
    }
}
