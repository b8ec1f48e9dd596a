package io.archfarm.scheduler.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.ArchfarmTestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Old published rows and handled ids go; unpublished rows and recent ones stay. */
@SpringBootTest(properties = "archfarm.scheduler.message-retention=7d")
@Import(ArchfarmTestServices.class)
class PruneHandledMessagesIT {

    @Autowired
    PruneHandledMessages prune;

    @Autowired
    JdbcClient jdbc;

    @Test
    void keepsWhatMayStillMatter() {
        UUID oldPublished = outboxRow("now() - interval '8 days'", "now() - interval '8 days'");
        UUID oldUnpublished = outboxRow("now() - interval '8 days'", "null");
        UUID recentPublished = outboxRow("now() - interval '1 hour'", "now() - interval '1 hour'");
        UUID oldHandled = handled("now() - interval '8 days'");
        UUID recentHandled = handled("now() - interval '1 day'");

        prune.prune();

        assertThat(jdbc.sql("select id from outbox where id in (:ids)")
                        .param("ids", List.of(oldPublished, oldUnpublished, recentPublished))
                        .query(UUID.class)
                        .list())
                .containsExactlyInAnyOrder(oldUnpublished, recentPublished);
        assertThat(jdbc.sql("select message_id from processed_messages where message_id in (:ids)")
                        .param("ids", List.of(oldHandled, recentHandled))
                        .query(UUID.class)
                        .list())
                .containsExactly(recentHandled);
    }

    private UUID outboxRow(String createdAt, String publishedAt) {
        UUID id = UUID.randomUUID();
        // the relay must not publish the test's unpublished row; an exchange nobody declared keeps it unpublished
        jdbc.sql("insert into outbox (id, exchange_name, routing_key, message_type, payload, created_at, published_at)"
                        + " values (:id, 'prune-test.none', 'none', 'x', '{}', " + createdAt + ", " + publishedAt + ")")
                .param("id", id)
                .update();
        return id;
    }

    private UUID handled(String processedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into processed_messages (message_id, consumer, processed_at) values (:id, 'test', "
                        + processedAt + ")")
                .param("id", id)
                .update();
        return id;
    }
}
