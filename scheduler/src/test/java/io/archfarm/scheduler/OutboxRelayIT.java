package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.messages.BuildRequested;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The relay sends rows as stored, confirmed, and keeps a row the broker would not route, with the reason. */
@SpringBootTest(properties = "archfarm.scheduler.outbox-interval=100ms")
@Import({ArchfarmTestServices.class, Farm.class})
class OutboxRelayIT {

    @Autowired
    Farm farm;

    @Autowired
    AmqpAdmin admin;

    @Test
    void aRoutedRowIsSentAsStoredAndMarkedPublished() {
        String queue = farm.topology().prefix() + ".test.relay";
        admin.declareQueue(QueueBuilder.nonDurable(queue).build());
        try {
            relaysThroughTheBroker(queue);
        } finally {
            admin.deleteQueue(queue); // the prefix cleanup does not know this test's own queue
        }
    }

    private void relaysThroughTheBroker(String queue) {
        admin.declareBinding(new Binding(
                queue, Binding.DestinationType.QUEUE, farm.topology().eventsExchange(), "test.relay", null));
        UUID messageId = UUID.randomUUID();
        farm.portalOutbox("test.relay", new BuildRequested(messageId, UUID.randomUUID(), Instant.now()));

        Message message =
                await().atMost(Duration.ofSeconds(10)).until(() -> farm.rabbit().receive(queue), m -> m != null);

        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat((String) message.getMessageProperties().getHeader("__TypeId__"))
                .isEqualTo(BuildRequested.class.getName());
        String stored = farm.jdbc()
                .sql("select payload::text from outbox where payload->>'messageId' = :m")
                .param("m", messageId.toString())
                .query(String.class)
                .single();
        assertThat(new String(message.getBody())).isEqualTo(stored);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> farm.jdbc()
                        .sql("select published_at is not null from outbox where payload->>'messageId' = :m")
                        .param("m", messageId.toString())
                        .query(Boolean.class)
                        .single());
    }

    @Test
    void anUnroutableRowStaysUnpublishedWithTheReturnAsItsError() {
        UUID messageId = UUID.randomUUID();
        farm.portalOutbox("nobody.listens", new BuildRequested(messageId, UUID.randomUUID(), Instant.now()));

        Map<String, Object> row = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> farm.jdbc()
                                .sql("select * from outbox where payload->>'messageId' = :m")
                                .param("m", messageId.toString())
                                .query()
                                .singleRow(),
                        r -> ((Integer) r.get("attempts")) >= 2);

        assertThat(row.get("published_at")).isNull();
        assertThat((String) row.get("last_error"))
                .contains("returned by the broker")
                .contains("NO_ROUTE")
                .contains("nobody.listens");
    }
}
