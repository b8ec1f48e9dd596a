package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.PrivateRabbitNode;
import io.archfarm.testing.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scheduler rides out its broker being killed (SIGKILL) and started again: a build the portal accepted while the
 * broker was down stays in the outbox, goes out once the broker is back, and the scheduler's listeners, which
 * reconnect by themselves, fan it out and dispatch its job. The broker is a RabbitMQ node of the test's own
 * ({@link PrivateRabbitNode}), never the machine's shared one.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=300s",
            "spring.rabbitmq.listener.simple.recovery-interval=1s"
        })
@Import(Farm.class)
class BrokerOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static PrivateRabbitNode node;

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        node = PrivateRabbitNode.start();
        String database = TestServices.freshLocalDatabase();
        properties.add("spring.datasource.url", () -> database);
        properties.add("spring.datasource.username", TestServices::localPostgresUser);
        properties.add("spring.datasource.password", TestServices::localPostgresPassword);
        properties.add("spring.rabbitmq.host", node::address);
        properties.add("spring.rabbitmq.port", node::amqpPort);
        properties.add("spring.rabbitmq.username", () -> "guest");
        properties.add("spring.rabbitmq.password", () -> "guest");
        properties.add("archfarm.topology.prefix", TestServices::freshPrefix);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aBuildAcceptedWhileTheBrokerIsDownIsDispatchedOnceItIsBack() throws Exception {
        farm.heartbeat("w-ppc", List.of("linux/ppc64le"), List.of(), List.of());
        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = 'w-ppc'" + " and status = 'ONLINE'")
                                .query(Long.class)
                                .single()
                        == 1);

        node.kill();
        long down = System.nanoTime();
        UUID buildId =
                farm.requestBuild(List.of("linux/ppc64le"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/app", List.of());
        // the relay tries and fails meanwhile: the row stays unpublished
        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> unpublished(buildId) == 1);
        node.restart();
        long downMillis = (System.nanoTime() - down) / 1_000_000;

        JobAssignment job = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> (JobAssignment) farm.poll("linux/ppc64le", ExecutionMode.NATIVE), a -> a != null);
        long backMillis = (System.nanoTime() - down) / 1_000_000 - downMillis;
        System.out.printf(
                "[archfarm figures] broker down %d ms; the build's job was dispatched %d ms after the"
                        + " broker was back%n",
                downMillis, backMillis);

        assertThat(job.buildId()).isEqualTo(buildId);
        assertThat(unpublished(buildId)).isZero();
        assertThat(farm.claim(job.jobId(), job.attempt(), "w-ppc", ExecutionMode.NATIVE)
                        .granted())
                .as("claims are answered again")
                .isTrue();
    }

    private long unpublished(UUID buildId) {
        return farm.jdbc()
                .sql("select count(*) from outbox where published_at is null and payload->>'buildId' = :b")
                .param("b", buildId.toString())
                .query(Long.class)
                .single();
    }
}
