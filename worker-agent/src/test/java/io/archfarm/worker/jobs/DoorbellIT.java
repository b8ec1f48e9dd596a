package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobsWaiting;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.worker.WorkerApplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scheduler's doorbell is of no use to a worker the broker pushes jobs to: a job is claimed within moments without
 * one, and a doorbell (or a control message of a type this worker does not know) is dropped without effect. The test
 * stands in for the scheduler (jobs, doorbells, claims refused, so that nothing is built and no build tool is needed).
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=doorbell-it",
            "archfarm.worker.slots=1",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=none",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.claim-timeout=5s"
        })
@Import(ArchfarmTestBroker.class)
class DoorbellIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generous for a slow machine; a worker that waited for a doorbell or a poll would not claim within it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

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
    void schedulerTopologyAndAnIdleWorker() {
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64));
            return null;
        });
        JobAssignment first = job();
        send(first);
        assertThat(refuseNextClaim(WAIT).jobId()).isEqualTo(first.jobId());
        awaitTheSlotIdle();
    }

    @Test
    void aJobIsClaimedPromptlyWithNoDoorbell() {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JobAssignment job = job();
            long start = System.nanoTime();
            send(job);
            assertThat(refuseNextClaim(PROMPTLY).jobId()).isEqualTo(job.jobId());
            millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
            awaitTheSlotIdle();
        }
        System.out.println("no doorbell: job published → ClaimRequest seen, ms: " + millis);
    }

    @Test
    void aDoorbellOrAControlMessageOfAnUnknownTypeChangesNothing() {
        ring(jobQueue(), topology.workerJobQueue("another-worker"));
        // what an older worker meets in a message from a newer scheduler: a type it does not know, dropped
        template.send(topology.controlExchange(), "", unknownControlMessage());
        await("no claim")
                .during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> admin.getQueueInfo(topology.claimsQueue()).getMessageCount() == 0);

        JobAssignment job = job();
        send(job);
        assertThat(refuseNextClaim(PROMPTLY).jobId())
                .as("the worker still takes jobs")
                .isEqualTo(job.jobId());
    }

    private String jobQueue() {
        return topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE);
    }

    /** As the relay sends a job: confirmed. */
    private void send(JobAssignment job) {
        template.invoke(broker -> {
            broker.convertAndSend(topology.jobsExchange(), jobQueue(), job);
            broker.waitForConfirmsOrDie(5000);
            return null;
        });
    }

    /** As the scheduler's relay did once the broker confirmed the jobs. */
    private void ring(String... queues) {
        template.convertAndSend(topology.controlExchange(), "", new JobsWaiting(UUID.randomUUID(), List.of(queues)));
    }

    private static Message unknownControlMessage() {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader("__TypeId__", "io.archfarm.model.messages.SomethingNewer");
        return new Message(
                "{\"messageId\":\"%s\"}".formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), properties);
    }

    /** No claim for a while: the slot dropped the refused copy and waits for the next job. */
    private void awaitTheSlotIdle() {
        await("the slot idle")
                .during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> admin.getQueueInfo(topology.claimsQueue()).getMessageCount() == 0);
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
                "127.0.0.1:5000/demo/doorbell",
                600);
    }

    /** Answers the next claim with a refusal, as the scheduler does for a stale copy, and returns it. */
    private ClaimRequest refuseNextClaim(Duration within) {
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest")
                .atMost(within)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> template.receiveAndReply(topology.claimsQueue(), (ClaimRequest request) -> {
                    claims.add(request);
                    return new ClaimReply(UUID.randomUUID(), request.messageId(), false, "refused by the test");
                }));
        return claims.getFirst();
    }
}
