package io.archfarm.scheduler.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.scheduler.Farm;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.IllegalTransactionStateException;

/**
 * With the relay's tick at 10 s, a job the scheduler dispatches still reaches its queue at once: the dispatch's
 * commit wakes the relay.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.outbox-interval=10s",
            "archfarm.scheduler.tick=10s",
            "archfarm.scheduler.heartbeat-timeout=60s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class RelayAfterCommitIT {

    private static final String PLATFORM = "linux/386";
    /** Generous against the 10 s tick: a slow machine still makes it, a relay that waits for its tick never does. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @Autowired
    Farm farm;

    @Autowired
    Outbox outbox;

    @Test
    void aDispatchedJobIsSentWithoutWaitingForTheTick() {
        farm.heartbeat("w-relay", List.of(PLATFORM), List.of(), List.of());
        await("worker w-relay online")
                .atMost(Duration.ofSeconds(20))
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = 'w-relay' and status = 'ONLINE'")
                                .query(Long.class)
                                .single()
                        == 1);

        UUID buildId = farm.requestBuild(List.of(PLATFORM), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/relay", List.of());
        long start = System.nanoTime();
        relayTheBuildRequest(buildId);

        // the tick is 10 s: an assignment in its queue within PROMPTLY was sent by the relay woken after the commit
        JobAssignment job = await("the assignment in its queue")
                .atMost(PROMPTLY)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> (JobAssignment) farm.poll(PLATFORM, ExecutionMode.NATIVE), j -> j != null);
        long queuedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(job.buildId()).isEqualTo(buildId);

        // the relay marks the row sent once the broker confirmed it, which may be just after a consumer has it
        Map<String, Object> row = await("the assignment's outbox row marked sent")
                .atMost(PROMPTLY)
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> farm.jdbc()
                                .sql("""
                        select id, published_at is not null as published,
                            round(extract(epoch from published_at - created_at) * 1000) as relay_millis
                        from outbox where message_type = :type and payload->>'jobId' = :job""")
                                .param("type", JobAssignment.class.getName())
                                .param("job", job.jobId().toString())
                                .query()
                                .singleRow(),
                        r -> Boolean.TRUE.equals(r.get("published")));
        assertThat(row).containsEntry("published", true);
        // one id rule for every writer (OutboxWriter): the row's id is the message's own, which consumers dedupe on
        assertThat(row).containsEntry("id", job.messageId());
        System.out.println("relay after commit: assignment row written → published " + row.get("relay_millis")
                + " ms; build request sent → assignment in its queue " + queuedMillis + " ms (tick 10s)");
    }

    @Test
    void aMessageIsNotWrittenOutsideATransaction() {
        assertThatThrownBy(() -> outbox.cancelJob(new CancelJob(UUID.randomUUID(), UUID.randomUUID(), 1, "test")))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    /**
     * The portal's row waits for the 10 s tick (the portal has no broker connection to wake a relay): the test sends
     * it as the relay would and marks it sent. Should the tick send it too, the scheduler ignores the second copy.
     */
    private void relayTheBuildRequest(UUID buildId) {
        Map<String, Object> row =
                farm.jdbc().sql("""
                select id, exchange_name, routing_key, message_type, payload::text as payload from outbox
                where payload->>'buildId' = :build and message_type like '%BuildRequested'""").param("build", buildId.toString()).query().singleRow();
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader("__TypeId__", row.get("message_type"));
        farm.rabbit()
                .send(
                        (String) row.get("exchange_name"),
                        (String) row.get("routing_key"),
                        new Message(((String) row.get("payload")).getBytes(StandardCharsets.UTF_8), properties));
        farm.jdbc()
                .sql("update outbox set published_at = clock_timestamp() where id = :id")
                .param("id", row.get("id"))
                .update();
    }
}
