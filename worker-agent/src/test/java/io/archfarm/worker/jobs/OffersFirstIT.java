package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with one slot and three job queues (its own, one native, one emulated), each holding a job when it starts
 * taking jobs again: it claims the offer on its own queue first, and while that claim is asked it holds nothing
 * else: no consumer on any job queue, the other two jobs ready for any other worker. The test stands in for the
 * scheduler (drain orders, jobs, claims answered late or refused, so that nothing is built).
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=offers-first-it",
            "archfarm.worker.slots=1",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=linux/s390x",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.claim-timeout=10s"
        })
@Import(ArchfarmTestBroker.class)
class OffersFirstIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WORKER = "offers-first-it";

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
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64, Platform.LINUX_S390X));
            return null;
        });
        Queue own = QueueBuilder.durable(ownQueue())
                .classic()
                .expires((int) Duration.ofMinutes(30).toMillis())
                .build();
        admin.declareQueue(own);
        admin.declareBinding(BindingBuilder.bind(own)
                .to(new DirectExchange(topology.jobsExchange(), true, false))
                .with(ownQueue()));
    }

    @Test
    void theOfferComesFirstAndNothingElseIsHeldWhileItIsClaimed() {
        await("one consumer on each job queue")
                .atMost(WAIT)
                .until(() -> jobQueues().stream().allMatch(queue -> info(queue).getConsumerCount() == 1));
        order(true);
        awaitHeartbeat(WorkerHeartbeat::draining);
        await("the consumers cancelled")
                .atMost(WAIT)
                .until(() -> jobQueues().stream().allMatch(queue -> info(queue).getConsumerCount() == 0));

        JobAssignment shared = job();
        JobAssignment emulated = job();
        JobAssignment offered = job().forWorker(ExecutionMode.NATIVE);
        send(nativeQueue(), shared);
        send(emulatedQueue(), emulated);
        send(ownQueue(), offered);
        order(false);

        ClaimRequest first = awaitClaim();
        assertThat(first.jobId()).as("the offer on its own queue first").isEqualTo(offered.jobId());
        // the claim is not answered yet: the one slot is taken, and the worker holds nothing more
        await("nothing else held")
                .during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> jobQueues().stream().allMatch(queue -> info(queue).getConsumerCount() == 0)
                        && info(nativeQueue()).getMessageCount() == 1
                        && info(emulatedQueue()).getMessageCount() == 1
                        && info(topology.claimsQueue()).getMessageCount() == 0);

        // left unanswered: after the claim timeout the worker puts the offer back, as for a scheduler that is away
    }

    private ClaimRequest awaitClaim() {
        return (ClaimRequest) await("a ClaimRequest")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> template.receiveAndConvert(topology.claimsQueue()), claim -> claim != null);
    }

    private List<String> jobQueues() {
        return List.of(ownQueue(), nativeQueue(), emulatedQueue());
    }

    private String ownQueue() {
        return topology.workerJobQueue(WORKER);
    }

    private String nativeQueue() {
        return topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE);
    }

    private String emulatedQueue() {
        return topology.jobQueue(Platform.LINUX_S390X, ExecutionMode.EMULATED);
    }

    private QueueInformation info(String queue) {
        return admin.getQueueInfo(queue);
    }

    private void send(String queue, JobAssignment job) {
        template.invoke(broker -> {
            broker.convertAndSend(topology.jobsExchange(), queue, job);
            broker.waitForConfirmsOrDie(5000);
            return null;
        });
    }

    private void order(boolean draining) {
        template.convertAndSend(
                topology.controlExchange(),
                "",
                new DrainWorker(UUID.randomUUID(), WORKER, draining, "admin", Instant.now()));
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
                "127.0.0.1:5000/demo/offers-first",
                600);
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
