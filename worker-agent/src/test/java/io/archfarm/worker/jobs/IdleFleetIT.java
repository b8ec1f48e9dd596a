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
import io.archfarm.testing.Rabbitmqctl;
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
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an idle worker costs the broker, and a worker whose connection the broker closes. The worker runs as the farm's
 * worker user in a virtual host of this test's own (so that the broker's counters and connections of that user are
 * this worker's alone), with 20 slots and three job queues (its own, one native, one emulated). The test stands in
 * for the scheduler as the scheduler's user.
 */
class IdleFleetIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Topology TOPOLOGY = new Topology(TestServices.freshPrefix());
    private static final String WORKER = "idle-fleet-it";

    @TempDir
    static Path dir;

    static FarmBroker broker;
    static Rabbitmqctl rabbitmqctl;
    static CachingConnectionFactory schedulerConnection;
    static RabbitTemplate scheduler;
    static ConfigurableApplicationContext worker;

    @BeforeAll
    static void aWorkerWith20SlotsInAVirtualHostOfItsOwn() {
        TestServices.requireLocalRabbit();
        rabbitmqctl = Rabbitmqctl.localBroker();
        broker = FarmBroker.onLocalBroker(TOPOLOGY);
        schedulerConnection = new CachingConnectionFactory(broker.connectionFactory(
                broker.scheduler(), TestServices.localAmqpHost(), TestServices.localAmqpPort()));
        scheduler = StandInScheduler.declaring(
                schedulerConnection, TOPOLOGY, List.of(Platform.LINUX_AMD64, Platform.LINUX_S390X));
        declareOwnQueue();
        worker = startWorker();
        await("a heartbeat")
                .atMost(WAIT)
                .until(() -> scheduler.receiveAndConvert(TOPOLOGY.heartbeatsQueue()) instanceof WorkerHeartbeat);
    }

    @AfterAll
    static void stopAndDelete() {
        if (worker != null) {
            worker.close();
        }
        if (schedulerConnection != null) {
            schedulerConnection.destroy();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anIdleWorkerSendsTheBrokerAlmostNothing() throws InterruptedException {
        // the job queues found and the worker settled
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        Traffic before = traffic();
        Thread.sleep(WINDOW.toMillis()); // a measuring window, not a wait for something to happen
        Traffic after = traffic();
        long framesIn = after.received() - before.received();
        long bytesIn = after.receivedBytes() - before.receivedBytes();
        System.out.printf(
                "idle worker, 20 slots, 3 job queues, %d s: the broker read %d socket reads (%.1f/s), "
                        + "%d bytes (%.0f B/s) from it; consumers: %s%n",
                WINDOW.toSeconds(),
                framesIn,
                framesIn / (double) WINDOW.toSeconds(),
                bytesIn,
                bytesIn / (double) WINDOW.toSeconds(),
                consumers().strip().replace('\n', ';'));
        // heartbeats are 1 h apart here; what is left is the AMQP connection heartbeat (60 s)
        assertThat(framesIn)
                .as("reads by the broker from an idle worker in %s", WINDOW)
                .isLessThan(10);
    }

    @Test
    void aWorkerWhoseConnectionTheBrokerClosedTakesTheNextJob() {
        String closed = closeTheWorkersConnections();
        System.out.println("closed the worker's connection(s): " + closed);
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
                "127.0.0.1:5000/demo/recovery",
                600);
        scheduler.convertAndSend(
                TOPOLOGY.jobsExchange(), TOPOLOGY.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest after the connection was closed")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> scheduler.receiveAndReply(TOPOLOGY.claimsQueue(), (ClaimRequest request) -> {
                    claims.add(request);
                    return new ClaimReply(UUID.randomUUID(), request.messageId(), false, "refused by the test");
                }));
        assertThat(claims.getFirst().jobId()).isEqualTo(job.jobId());
        assertThat(claims.getFirst().workerId()).isEqualTo(WORKER);
        await("one consumer on each job queue again")
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(jobConsumers())
                        .containsExactlyInAnyOrder(
                                TOPOLOGY.workerJobQueue(WORKER),
                                TOPOLOGY.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE),
                                TOPOLOGY.jobQueue(Platform.LINUX_S390X, ExecutionMode.EMULATED)));
    }

    /** The job queues the worker consumes now, one entry per consumer. */
    private static List<String> jobConsumers() {
        return consumers()
                .lines()
                .map(line -> line.split("\t")[0])
                .filter(queue -> queue.startsWith(TOPOLOGY.prefix() + ".jobs."))
                .toList();
    }

    private record Traffic(long received, long receivedBytes) {}

    /** The broker's counters of the worker user's connections in the test's virtual host. */
    private static Traffic traffic() {
        long received = 0;
        long bytes = 0;
        for (String line : rabbitmqctl
                .run("list_connections", "--no-table-headers", "vhost", "user", "recv_cnt", "recv_oct")
                .lines()
                .toList()) {
            String[] columns = line.split("\t");
            if (columns.length == 4
                    && columns[0].equals(broker.virtualHost())
                    && columns[1].equals(broker.worker().username())) {
                received += Long.parseLong(columns[2]);
                bytes += Long.parseLong(columns[3]);
            }
        }
        return new Traffic(received, bytes);
    }

    private static String consumers() {
        return rabbitmqctl.run(
                "list_consumers", "--no-table-headers", "-p", broker.virtualHost(), "queue_name", "prefetch_count");
    }

    private static String closeTheWorkersConnections() {
        StringBuilder closed = new StringBuilder();
        for (String line : rabbitmqctl
                .run("list_connections", "--no-table-headers", "vhost", "user", "pid")
                .lines()
                .toList()) {
            String[] columns = line.split("\t");
            if (columns.length == 3
                    && columns[0].equals(broker.virtualHost())
                    && columns[1].equals(broker.worker().username())) {
                rabbitmqctl.run("close_connection", columns[2], "closed by IdleFleetIT");
                closed.append(columns[2]).append(' ');
            }
        }
        assertThat(closed).as("the worker's connections").isNotEmpty();
        return closed.toString();
    }

    /** As the scheduler's JobQueues declares a worker's own queue. */
    private static void declareOwnQueue() {
        RabbitAdmin admin = new RabbitAdmin(schedulerConnection);
        String name = TOPOLOGY.workerJobQueue(WORKER);
        Queue queue = QueueBuilder.durable(name)
                .classic()
                .expires((int) Duration.ofMinutes(30).toMillis())
                .build();
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue)
                .to(new DirectExchange(TOPOLOGY.jobsExchange(), true, false))
                .with(name));
    }

    private static ConfigurableApplicationContext startWorker() {
        FarmBroker.Login login = broker.worker();
        return new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--spring.rabbitmq.host=" + TestServices.localAmqpHost(),
                        "--spring.rabbitmq.port=" + TestServices.localAmqpPort(),
                        "--spring.rabbitmq.virtual-host=" + broker.virtualHost(),
                        "--spring.rabbitmq.username=" + login.username(),
                        "--spring.rabbitmq.password=" + login.password(),
                        "--archfarm.topology.prefix=" + TOPOLOGY.prefix(),
                        "--archfarm.worker.id=" + WORKER,
                        "--archfarm.worker.work-dir=" + dir.resolve("worker"),
                        "--archfarm.worker.slots=20",
                        "--archfarm.worker.native-platforms=linux/amd64",
                        "--archfarm.worker.emulated-platforms=linux/s390x",
                        "--archfarm.worker.heartbeat-interval=1h",
                        "--archfarm.worker.claim-timeout=5s");
    }
}
