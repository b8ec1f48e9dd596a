package io.archfarm.portal.projects;

import io.archfarm.portal.forge.Forge;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery log of each project's webhooks. The first accepted delivery with a given id claims it (a partial
 * unique index); a redelivery is logged as DUPLICATE, pointing at what the first one did.
 */
@Component
class WebhookDeliveries {

    private final JdbcClient jdbc;
    private final Clock clock;

    WebhookDeliveries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Claims the delivery id for this project and forge with the given result (BUILT, PING or IGNORED). Returns the
     * new row's id, or empty when an earlier delivery already claimed the id.
     */
    Optional<UUID> claim(UUID projectId, Forge forge, String deliveryId, String event, Result result, String detail) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        insert into webhook_deliveries
                            (id, project_id, forge, delivery_id, event, result, detail, received_at)
                        values (:id, :project, :forge, :delivery, :event, :result, :detail, :at)
                        on conflict (project_id, forge, delivery_id) where result in ('BUILT','PING','IGNORED')
                        do nothing""")
                .param("id", id).param("project", projectId).param("forge", forge.name())
                .param("delivery", deliveryId).param("event", event).param("result", result.name())
                .param("detail", detail).param("at", Timestamp.from(Instant.now(clock)))
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    void attachBuild(UUID deliveryRow, UUID buildId) {
        jdbc.sql("update webhook_deliveries set build_id = :build where id = :id")
                .param("build", buildId).param("id", deliveryRow).update();
    }

    /** Logs a delivery that claims nothing: DUPLICATE, REJECTED or MALFORMED. */
    void log(UUID projectId, Forge forge, String deliveryId, String event, Result result, String detail,
            UUID buildId) {
        jdbc.sql("""
                        insert into webhook_deliveries
                            (id, project_id, forge, delivery_id, event, result, detail, build_id, received_at)
                        values (:id, :project, :forge, :delivery, :event, :result, :detail, :build, :at)""")
                .param("id", UUID.randomUUID()).param("project", projectId).param("forge", forge.name())
                .param("delivery", deliveryId).param("event", event).param("result", result.name())
                .param("detail", detail).param("build", buildId).param("at", Timestamp.from(Instant.now(clock)))
                .update();
    }

    int rejectedInLastMinute(UUID projectId) {
        return jdbc.sql("select count(*) from webhook_deliveries where project_id = :project "
                        + "and result = 'REJECTED' and received_at > :since")
                .param("project", projectId)
                .param("since", Timestamp.from(Instant.now(clock).minusSeconds(60)))
                .query(Integer.class).single();
    }

    /** What the delivery that claimed this id did. */
    Optional<DeliveryView> first(UUID projectId, Forge forge, String deliveryId) {
        return jdbc.sql("""
                        select * from webhook_deliveries where project_id = :project and forge = :forge
                          and delivery_id = :delivery and result in ('BUILT','PING','IGNORED')""")
                .param("project", projectId).param("forge", forge.name()).param("delivery", deliveryId)
                .query((rs, n) -> view(rs)).optional();
    }

    List<DeliveryView> newestFirst(UUID projectId, int limit) {
        return jdbc.sql("""
                        select * from webhook_deliveries where project_id = :project
                        order by received_at desc, id limit :limit""")
                .param("project", projectId).param("limit", limit)
                .query((rs, n) -> view(rs)).list();
    }

    private static DeliveryView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DeliveryView(rs.getObject("id", UUID.class), Forge.valueOf(rs.getString("forge")).wireName(),
                rs.getString("delivery_id"), rs.getString("event"), Result.valueOf(rs.getString("result")),
                rs.getString("detail"), rs.getObject("build_id", UUID.class),
                rs.getObject("received_at", java.time.OffsetDateTime.class).toInstant());
    }

    /** What the farm did with a delivery. */
    enum Result {
        /** started a build */
        BUILT,
        /** answered the forge's ping */
        PING,
        /** authentic, but nothing to do: another event, a deletion, a ref outside the filters */
        IGNORED,
        /** a redelivery of an id already handled: nothing done again */
        DUPLICATE,
        /** missing or wrong signature or token: not authentic, nothing done */
        REJECTED,
        /** authentic but not understood */
        MALFORMED
    }

    record DeliveryView(UUID id, String forge, String deliveryId, String event, Result result, String detail,
            UUID build, Instant receivedAt) {
    }
}
