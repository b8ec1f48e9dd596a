package io.archfarm.scheduler.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.Farm;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Heartbeats are applied in batches: each worker's latest wins whatever order the batch holds them in, and a message
 * that cannot be read, names no worker or breaks the table's rules is dropped alone, never with its batch.
 */
@SpringBootTest
@Import({ArchfarmTestServices.class, Farm.class})
class HeartbeatBatchesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    Farm farm;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    Topology topology;

    @Autowired
    AmqpAdmin admin;

    @Test
    void eachWorkersLatestHeartbeatWinsWhateverTheBatchsOrder() {
        Instant now = Instant.now();
        String early = "w-early-" + UUID.randomUUID();
        String late = "w-late-" + UUID.randomUUID();
        // the later heartbeat first, then the one it overtook, then a worker seen only once
        farm.send(Topology.WORKER_HEARTBEAT, beat(early, "host-new", 3, now));
        farm.send(Topology.WORKER_HEARTBEAT, beat(early, "host-old", 1, now.minusSeconds(2)));
        farm.send(Topology.WORKER_HEARTBEAT, beat(late, "host-late", 2, now));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(hostAndSlots(early)).isEqualTo("host-new/3");
            assertThat(hostAndSlots(late)).isEqualTo("host-late/2");
        });
    }

    @Test
    void aHeartbeatThatCannotBeAppliedIsDroppedAloneAndTheOthersApply() {
        Instant now = Instant.now();
        String before = "w-before-" + UUID.randomUUID();
        String after = "w-after-" + UUID.randomUUID();
        String broken = "w-broken-" + UUID.randomUUID();
        farm.send(Topology.WORKER_HEARTBEAT, beat(before, "host-before", 1, now));
        rabbit.send(topology.workerEventsExchange(), Topology.WORKER_HEARTBEAT, unreadable());
        farm.send(Topology.WORKER_HEARTBEAT, beat("", "host-nobody", 1, now));
        // PostgreSQL refuses a NUL in text: the batch's transaction fails on this one
        farm.send(Topology.WORKER_HEARTBEAT, beat(broken, "bad\u0000host", 1, now));
        farm.send(Topology.WORKER_HEARTBEAT, beat(after, "host-after", 2, now));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(hostAndSlots(before)).isEqualTo("host-before/1");
            assertThat(hostAndSlots(after)).isEqualTo("host-after/2");
        });
        assertThat(hostAndSlots(broken)).isNull();
        // nothing was sent back to the queue to fail again
        await().atMost(WAIT)
                .until(() -> admin.getQueueInfo(topology.heartbeatsQueue()).getMessageCount() == 0);
    }

    @Test
    void latestHeartbeatsKeepEachWorkersLatestInWorkerOrder() {
        Instant now = Instant.now();
        WorkerHeartbeat bNew = beat("b", "b2", 1, now);
        WorkerHeartbeat bOld = beat("b", "b1", 1, now.minusSeconds(1));
        WorkerHeartbeat a = beat("a", "a1", 1, now);
        WorkerHeartbeat cUndated = beat("c", "c2", 1, null);
        WorkerHeartbeat cDated = beat("c", "c1", 1, now);

        List<WorkerHeartbeat> latest = LatestHeartbeats.of(List.of(bNew, cDated, bOld, a, cUndated), beat -> beat);

        assertThat(latest).containsExactly(a, bNew, cUndated);
        assertThat(LatestHeartbeats.of(List.of(a, bNew), beat -> beat == a ? null : beat))
                .containsExactly(bNew);
    }

    private static WorkerHeartbeat beat(String workerId, String host, int slots, Instant sentAt) {
        return new WorkerHeartbeat(
                UUID.randomUUID(),
                workerId,
                host,
                List.of("linux/amd64"),
                List.of(),
                slots,
                List.of(),
                false,
                sentAt,
                "overlay");
    }

    private static Message unreadable() {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader("__TypeId__", WorkerHeartbeat.class.getName());
        return new Message("{not json".getBytes(StandardCharsets.UTF_8), properties);
    }

    private String hostAndSlots(String workerId) {
        return jdbc.sql("select host || '/' || slots from workers where id = :id")
                .param("id", workerId)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
