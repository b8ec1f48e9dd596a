package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.BrokerCleanup;
import io.archfarm.testing.PrivatePostgres;
import io.archfarm.testing.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scheduler rides out its database being killed (SIGKILL, no shutdown) and started again: a worker's result that
 * arrives while the database is down is not lost but redone once it is back, and the build goes on from there. The
 * database is a PostgreSQL of the test's own ({@link PrivatePostgres}), never the machine's shared one.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=120s",
            "spring.datasource.hikari.connection-timeout=2000"
        })
@Import(Farm.class)
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static PrivatePostgres postgres;
    private static String prefix;

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        postgres = PrivatePostgres.start();
        postgres.createDatabase("archfarm");
        prefix = TestServices.freshPrefix();
        TestServices.requireLocalRabbit();
        properties.add("spring.datasource.url", () -> postgres.jdbcUrl("archfarm"));
        properties.add("spring.datasource.username", () -> "postgres");
        properties.add("spring.datasource.password", () -> "");
        properties.add("spring.rabbitmq.host", TestServices::localAmqpHost);
        properties.add("spring.rabbitmq.port", TestServices::localAmqpPort);
        properties.add("spring.rabbitmq.username", TestServices::localAmqpUser);
        properties.add("spring.rabbitmq.password", TestServices::localAmqpPassword);
        properties.add("archfarm.topology.prefix", () -> prefix);
    }

    @AfterAll
    static void cleanUp() {
        if (prefix != null) {
            BrokerCleanup.deleteAll(prefix);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aResultThatArrivesWhileTheDatabaseIsDownIsRecordedOnceItIsBack(CapturedOutput output) throws Exception {
        farm.heartbeat("w-s390x", List.of("linux/s390x"), List.of(), List.of());
        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = 'w-s390x'" + " and status = 'ONLINE'")
                                .query(Long.class)
                                .single()
                        == 1);
        UUID buildId =
                farm.requestBuild(List.of("linux/s390x"), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/app", List.of());
        JobAssignment job = farm.takeAssignment("linux/s390x", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), job.attempt(), "w-s390x", ExecutionMode.NATIVE)
                        .granted())
                .isTrue();

        postgres.kill();
        int failuresBefore = listenerFailures(output);
        long down = System.nanoTime();
        farm.finished(
                job.jobId(),
                job.attempt(),
                "w-s390x",
                JobOutcome.FAILED,
                "step failed: RUN false exited" + " with code 1");
        // while it is down the result is tried, fails and goes back to its queue; the outage lasts OUTAGE
        await().atMost(WAIT).until(() -> listenerFailures(output) > failuresBefore);
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
        postgres.restart();
        long downMillis = (System.nanoTime() - down) / 1_000_000;

        // the test's own reads go through the same pool, which reconnects too
        await().atMost(WAIT).ignoreExceptions().until(() -> "FAILED".equals(farm.jobStatus(job.jobId())));
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> "FAILED".equals(farm.build(buildId).get("status")));
        assertThat((String) farm.build(buildId).get("error")).contains("step failed: RUN false exited with code 1");
        int tries = listenerFailures(output) - failuresBefore;
        System.out.printf(
                "[archfarm figures] database down %d ms: the result failed %d time(s) before it was" + " recorded%n",
                downMillis, tries);
        assertThat(tries)
                .as("tries of the result while the database was down, with back-off")
                .isLessThanOrEqualTo((int) (downMillis / 1000) + 2);
    }

    private static int listenerFailures(CapturedOutput output) {
        return (int) output.getOut()
                .lines()
                .filter(line -> line.contains("Execution of Rabbit message listener" + " failed"))
                .count();
    }
}
