package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.FarmBroker;
import io.archfarm.testing.PrivateRabbitNode;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.WorkerApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker reaches the broker over {@code amqps://}, trusting the farm's CA through a Spring Boot SSL bundle, as its
 * worker user. The broker is a {@link PrivateRabbitNode} with a TLS listener, so that the machine's broker is never
 * reconfigured or restarted; the test stands in for the scheduler over the node's plain listener.
 */
class WorkerOverTlsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Topology TOPOLOGY = new Topology(TestServices.freshPrefix());

    @TempDir
    static Path dir;

    static PrivateRabbitNode node;
    static FarmBroker broker;
    static CachingConnectionFactory schedulerConnection;
    static RabbitTemplate scheduler;

    @BeforeAll
    static void aBrokerWithATlsListener() throws Exception {
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
    void aWorkerJoinsOverTlsTrustingTheFarmsCa() {
        FarmBroker.Login login = broker.worker();
        try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--spring.rabbitmq.addresses=amqps://" + node.address() + ":" + node.amqpsPort(),
                        "--spring.rabbitmq.virtual-host=" + broker.virtualHost(),
                        "--spring.rabbitmq.username=" + login.username(),
                        "--spring.rabbitmq.password=" + login.password(),
                        "--spring.rabbitmq.ssl.bundle=broker",
                        "--spring.ssl.bundle.pem.broker.truststore.certificate=file:" + node.caCertificate(),
                        "--archfarm.topology.prefix=" + TOPOLOGY.prefix(),
                        "--archfarm.worker.id=tls-it",
                        "--archfarm.worker.work-dir=" + dir.resolve("worker"),
                        "--archfarm.worker.native-platforms=linux/amd64",
                        "--archfarm.worker.emulated-platforms=none",
                        "--archfarm.worker.heartbeat-interval=500ms")) {
            WorkerHeartbeat heartbeat = await("a heartbeat over TLS")
                    .atMost(WAIT)
                    .until(
                            () -> (WorkerHeartbeat) scheduler.receiveAndConvert(TOPOLOGY.heartbeatsQueue()),
                            h -> h != null);
            assertThat(heartbeat.workerId()).isEqualTo("tls-it");
            assertThat(node.rabbitmqctl().run("list_connections", "-p", broker.virtualHost(), "user", "ssl", "port"))
                    .as("the worker's connection is the TLS one")
                    .contains(login.username() + "\ttrue\t" + node.amqpsPort());
        }
    }
}
