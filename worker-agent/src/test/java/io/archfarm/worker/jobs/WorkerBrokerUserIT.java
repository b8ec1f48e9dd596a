package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.DrainWorker;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.FarmBroker;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.WorkerApplication;
import io.archfarm.worker.testing.GitRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The farm's worker user on the machine's broker, in a virtual host and with users of this test's own (made with
 * rabbitmqctl, deleted afterwards): what a worker does works, what it has no business doing is refused. The test
 * stands in for the scheduler, as the scheduler's user.
 */
class WorkerBrokerUserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Topology TOPOLOGY = new Topology(TestServices.freshPrefix());

    @TempDir
    static Path dir;

    static FarmBroker broker;
    static CachingConnectionFactory schedulerConnection;
    static RabbitTemplate scheduler;

    @BeforeAll
    static void aVirtualHostWithTheFarmsUsers() throws Exception {
        TestServices.requireLocalRabbit();
        broker = FarmBroker.onLocalBroker(TOPOLOGY);
        schedulerConnection = new CachingConnectionFactory(broker.connectionFactory(
                broker.scheduler(), TestServices.localAmqpHost(), TestServices.localAmqpPort()));
        scheduler = StandInScheduler.declaring(schedulerConnection, TOPOLOGY, List.of(Platform.LINUX_AMD64));
    }

    @AfterAll
    static void deleteThem() {
        if (schedulerConnection != null) {
            schedulerConnection.destroy();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWorkerCanNeitherReadBuildRequestsNorPublishToTheControlPlane() throws Exception {
        scheduler.convertAndSend(TOPOLOGY.eventsExchange(), Topology.BUILD_REQUESTED, "a build request");
        try (Connection worker = workerConnection()) {
            assertRefused(
                    worker, "read build requests", channel -> channel.basicGet(TOPOLOGY.buildRequestsQueue(), false));
            assertRefused(
                    worker,
                    "read another worker's heartbeats",
                    channel -> channel.basicGet(TOPOLOGY.heartbeatsQueue(), false));
            assertRefused(
                    worker,
                    "publish to the control plane's events exchange",
                    channel -> publish(channel, TOPOLOGY.eventsExchange(), Topology.BUILD_REQUESTED));
            assertRefused(
                    worker,
                    "publish to the control fanout",
                    channel -> publish(channel, TOPOLOGY.controlExchange(), ""));
            assertRefused(
                    worker,
                    "publish straight into the scheduler's queue",
                    channel -> publish(channel, "", TOPOLOGY.claimsQueue()));
            assertRefused(
                    worker,
                    "declare a job queue",
                    channel -> channel.queueDeclare(
                            TOPOLOGY.jobQueue(Platform.LINUX_S390X, ExecutionMode.NATIVE),
                            true,
                            false,
                            false,
                            Map.of("x-queue-type", "quorum")));
            assertRefused(
                    worker,
                    "delete the scheduler's queue",
                    channel -> channel.queueDelete(TOPOLOGY.buildRequestsQueue()));
        }
        assertThat(scheduler.receiveAndConvert(TOPOLOGY.buildRequestsQueue()))
                .as("the request is still there")
                .isEqualTo("a build request");
    }

    @Test
    void aWorkerRunsAJobAsItsUserAndObeysTheControlFanout() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        GitRepository repository = GitRepository.create(dir.resolve("repo"));
        String commit = repository.commit(
                Map.of("Containerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n", "hello.txt", "hello\n"));
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
                ConfigurableApplicationContext worker = startWorker(registry.address())) {
            WorkerHeartbeat first = awaitHeartbeat(heartbeat -> true);
            assertThat(first.workerId()).isEqualTo("user-it");

            JobAssignment job = new JobAssignment(
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    1,
                    "linux/amd64",
                    repository.url(),
                    "main",
                    commit,
                    false,
                    "Containerfile",
                    ".",
                    Map.of(),
                    registry.address() + "/demo/user-it",
                    600);
            scheduler.convertAndSend(
                    TOPOLOGY.jobsExchange(), TOPOLOGY.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
            // the claim's answer goes back over direct reply-to (amq.rabbitmq.reply-to)
            await("a ClaimRequest")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> scheduler.receiveAndReply(
                            TOPOLOGY.claimsQueue(),
                            (ClaimRequest request) ->
                                    new ClaimReply(UUID.randomUUID(), request.messageId(), true, null)));

            JobFinished finished = await("JobFinished")
                    .atMost(WAIT)
                    .until(() -> (JobFinished) scheduler.receiveAndConvert(TOPOLOGY.jobResultsQueue()), r -> r != null);
            assertThat(finished.outcome()).as(String.valueOf(finished.error())).isEqualTo(JobOutcome.SUCCEEDED);
            assertThat(finished.digest()).startsWith("sha256:");
            assertThat(scheduler.receiveAndConvert(TOPOLOGY.jobLogsQueue()))
                    .as("log chunks arrive")
                    .isNotNull();

            scheduler.convertAndSend(
                    TOPOLOGY.controlExchange(),
                    "",
                    new DrainWorker(UUID.randomUUID(), "user-it", true, "admin", Instant.now()));
            assertThat(awaitHeartbeat(WorkerHeartbeat::draining).workerId()).isEqualTo("user-it");
        }
    }

    private ConfigurableApplicationContext startWorker(String registry) {
        FarmBroker.Login login = broker.worker();
        // as command-line arguments, which win over the worker's application.yml as an operator's settings do
        return new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--spring.rabbitmq.host=" + TestServices.localAmqpHost(),
                        "--spring.rabbitmq.port=" + TestServices.localAmqpPort(),
                        "--spring.rabbitmq.virtual-host=" + broker.virtualHost(),
                        "--spring.rabbitmq.username=" + login.username(),
                        "--spring.rabbitmq.password=" + login.password(),
                        "--archfarm.topology.prefix=" + TOPOLOGY.prefix(),
                        "--archfarm.worker.id=user-it",
                        "--archfarm.worker.work-dir=" + dir.resolve("worker"),
                        "--archfarm.registry.insecure=" + registry,
                        "--archfarm.worker.native-platforms=linux/amd64",
                        "--archfarm.worker.emulated-platforms=none",
                        "--archfarm.worker.heartbeat-interval=500ms",
                        "--archfarm.git.allow-file-urls=true");
    }

    private static WorkerHeartbeat awaitHeartbeat(Predicate<WorkerHeartbeat> matching) {
        return await("a matching heartbeat")
                .atMost(WAIT)
                .until(
                        () -> {
                            Object message = scheduler.receiveAndConvert(TOPOLOGY.heartbeatsQueue());
                            return message instanceof WorkerHeartbeat heartbeat && matching.test(heartbeat)
                                    ? heartbeat
                                    : null;
                        },
                        heartbeat -> heartbeat != null);
    }

    private static Connection workerConnection() throws Exception {
        return broker.connectionFactory(broker.worker(), TestServices.localAmqpHost(), TestServices.localAmqpPort())
                .newConnection("worker-user-it");
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    /** Each refusal closes its channel (403 ACCESS_REFUSED), so each attempt gets a channel of its own. */
    private static void assertRefused(Connection connection, String what, ChannelAction action) throws Exception {
        Channel channel = connection.createChannel();
        assertThatThrownBy(() -> action.run(channel))
                .as("a worker may not " + what)
                .hasStackTraceContaining("ACCESS_REFUSED");
        assertThat(channel.isOpen()).isFalse();
    }

    /** A publish is refused asynchronously: waiting for its confirm surfaces the channel's closing. */
    private static void publish(Channel channel, String exchange, String routingKey) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(
                exchange,
                routingKey,
                MessageProperties.PERSISTENT_TEXT_PLAIN,
                "not from a worker".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5000);
    }
}
