package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.Rabbitmqctl;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.WorkerApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * A burst of ten jobs on two queues for a worker of four slots: it asks four claims and holds nothing more (no
 * consumer left, six jobs ready for other workers), whatever the broker pushed in the moment its slots filled: each
 * of its two consumers had a prefetch of four.
 * The test stands in for the scheduler and answers the claims late, with refusals, so that nothing is built.
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=busy-worker-it",
            "archfarm.worker.slots=4",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=linux/s390x",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.claim-timeout=20s"
        })
@Import(ArchfarmTestBroker.class)
class BusyWorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SLOTS = 4;
    private static final int JOBS = 10;

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

    @Test
    void aFullWorkerAsksNoMoreClaimsThanItHasSlotsAndHoldsNothingElse() {
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64, Platform.LINUX_S390X));
            return null;
        });
        await("consuming both job queues")
                .atMost(WAIT)
                .until(() -> consumers(nativeQueue()) == 1 && consumers(emulatedQueue()) == 1);

        template.invoke(broker -> {
            for (int i = 0; i < JOBS; i++) {
                broker.convertAndSend(topology.jobsExchange(), i % 2 == 0 ? nativeQueue() : emulatedQueue(), job());
            }
            broker.waitForConfirmsOrDie(5000);
            return null;
        });

        await("as many claims as slots").atMost(WAIT).until(() -> ready(topology.claimsQueue()) >= SLOTS);
        // a quorum queue counts a cancelled consumer while it still holds unacked messages (the claims asked), so
        // what shows that the worker holds nothing more is the jobs staying ready and no further claim
        await("nothing more held")
                .during(Duration.ofSeconds(3))
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                List.of(ready(topology.claimsQueue()), ready(nativeQueue()) + ready(emulatedQueue())))
                        .as("claims asked, jobs ready")
                        .containsExactly((long) SLOTS, (long) JOBS - SLOTS));
        if (TestServices.mode() == TestServices.Mode.LOCAL) {
            assertThat(Rabbitmqctl.localBroker()
                            .run("list_consumers", "--no-table-headers", "queue_name")
                            .lines()
                            .filter(line -> line.startsWith(topology.prefix() + ".jobs.")))
                    .as("the worker's consumers on the job queues, while its claims are asked")
                    .isEmpty();
        }

        // refused one by one, every job comes to a slot in the end and the queues are empty
        await("every job claimed and refused")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    template.receiveAndReply(
                            topology.claimsQueue(),
                            (ClaimRequest request) -> new ClaimReply(
                                    UUID.randomUUID(), request.messageId(), false, "refused by the test"));
                    return ready(nativeQueue()) + ready(emulatedQueue()) + ready(topology.claimsQueue()) == 0;
                });
    }

    private String nativeQueue() {
        return topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE);
    }

    private String emulatedQueue() {
        return topology.jobQueue(Platform.LINUX_S390X, ExecutionMode.EMULATED);
    }

    private long ready(String queue) {
        return admin.getQueueInfo(queue).getMessageCount();
    }

    private int consumers(String queue) {
        return admin.getQueueInfo(queue).getConsumerCount();
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
                "127.0.0.1:5000/demo/busy",
                600);
    }
}
