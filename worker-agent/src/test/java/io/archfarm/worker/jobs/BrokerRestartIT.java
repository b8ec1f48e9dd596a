package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.FarmBroker;
import io.archfarm.testing.PrivateRabbitNode;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.WorkerApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The broker restarts under a worker (its RabbitMQ application stopped for a few seconds and started again, every
 * connection closed): the worker consumes its job queues again and takes the next job. The broker is a
 * {@link PrivateRabbitNode}, so that the machine's broker is never restarted; the test stands in for the scheduler.
 */
class BrokerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Topology TOPOLOGY = new Topology(TestServices.freshPrefix());

    @TempDir
    static Path dir;

    static PrivateRabbitNode node;
    static FarmBroker broker;
    static CachingConnectionFactory schedulerConnection;
    static RabbitTemplate scheduler;

    @BeforeAll
    static void aBrokerOfItsOwn() throws Exception {
        node = PrivateRabbitNode.start();
        broker = FarmBroker.create(node.rabbitmqctl(), TOPOLOGY);
        schedulerConnection = new CachingConnectionFactory(
                broker.connectionFactory(broker.scheduler(), node.address(), node.amqpPort()));
        scheduler = StandInScheduler.declaring(schedulerConnection, TOPOLOGY, List.of(Platform.LINUX_AMD64));
    }

    @AfterAll
    static void stopIt() {
        if (schedulerConnection != null) {
            schedulerConnection.destroy();
        }
        if (broker != null) {
            broker.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aWorkerTakesJobsAgainAfterTheBrokerRestarted() {
        FarmBroker.Login login = broker.worker();
        try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--spring.rabbitmq.host=" + node.address(),
                        "--spring.rabbitmq.port=" + node.amqpPort(),
                        "--spring.rabbitmq.virtual-host=" + broker.virtualHost(),
                        "--spring.rabbitmq.username=" + login.username(),
                        "--spring.rabbitmq.password=" + login.password(),
                        "--archfarm.topology.prefix=" + TOPOLOGY.prefix(),
                        "--archfarm.worker.id=restart-it",
                        "--archfarm.worker.work-dir=" + dir.resolve("worker"),
                        "--archfarm.worker.slots=2",
                        "--archfarm.worker.native-platforms=linux/amd64",
                        "--archfarm.worker.emulated-platforms=none",
                        "--archfarm.worker.heartbeat-interval=500ms",
                        "--archfarm.worker.claim-timeout=5s")) {
            await("a heartbeat")
                    .atMost(WAIT)
                    .until(() -> scheduler.receiveAndConvert(TOPOLOGY.heartbeatsQueue()) instanceof WorkerHeartbeat);
            assertThat(refuseClaimOf(sendJob()).workerId())
                    .as("before the restart")
                    .isEqualTo("restart-it");

            node.rabbitmqctl().run("stop_app");
            node.rabbitmqctl().run("start_app");
            node.rabbitmqctl().run("await_startup");

            JobAssignment job = sendJob();
            ClaimRequest claim = refuseClaimOf(job);
            assertThat(claim.jobId()).isEqualTo(job.jobId());
            assertThat(claim.workerId()).isEqualTo("restart-it");
        }
    }

    private static JobAssignment sendJob() {
        JobAssignment job = new JobAssignment(
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
                "127.0.0.1:5000/demo/restart",
                600);
        await("the job sent").atMost(WAIT).ignoreExceptions().until(() -> {
            scheduler.convertAndSend(
                    TOPOLOGY.jobsExchange(), TOPOLOGY.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
            return true;
        });
        return job;
    }

    private static ClaimRequest refuseClaimOf(JobAssignment job) {
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest for job " + job.jobId())
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    scheduler.receiveAndReply(TOPOLOGY.claimsQueue(), (ClaimRequest request) -> {
                        claims.add(request);
                        return new ClaimReply(UUID.randomUUID(), request.messageId(), false, "refused by the test");
                    });
                    return claims.stream().anyMatch(claim -> claim.jobId().equals(job.jobId()));
                });
        return claims.stream()
                .filter(claim -> claim.jobId().equals(job.jobId()))
                .findFirst()
                .orElseThrow();
    }
}
