package io.archfarm.portal.projects;

import io.archfarm.portal.forge.Forge;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery log of each project's webhooks. The first accepted delivery with a given id claims it (a partial
 * unique index on the id in lower case, so "ABC-1" replays "abc-1"); a redelivery is logged as DUPLICATE, pointing at
 * what the first one did.
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
                        on conflict (project_id, forge, lower(delivery_id)) where result in ('BUILT','PING','IGNORED')
                        do nothing""")
                .param("id", id)
                .param("project", projectId)
                .param("forge", forge.name())
                .param("delivery", deliveryId)
                .param("event", event)
                .param("result", result.name())
                .param("detail", detail)
                .param("at", Timestamp.from(Instant.now(clock)))
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    void attachBuild(UUID deliveryRow, UUID buildId) {
        jdbc.sql("update webhook_deliveries set build_id = :build where id = :id")
                .param("build", buildId)
                .param("id", deliveryRow)
                .update();
    }

    /** Logs a delivery that claims nothing: DUPLICATE, REJECTED or MALFORMED. */
    void log(
            UUID projectId,
            Forge forge,
            @Nullable String deliveryId,
            @Nullable String event,
            Result result,
            @Nullable String detail,
            @Nullable UUID buildId) {
        jdbc.sql("""
                        insert into webhook_deliveries
                            (id, project_id, forge, delivery_id, event, result, detail, build_id, received_at)
                        values (:id, :project, :forge, :delivery, :event, :result, :detail, :build, :at)""")
                .param("id", UUID.randomUUID())
                .param("project", projectId)
                .param("forge", forge.name())
                .param("delivery", deliveryId)
                .param("event", event)
                .param("result", result.name())
                .param("detail", detail)
                .param("build", buildId)
                .param("at", Timestamp.from(Instant.now(clock)))
                .update();
    }

    int rejectedInLastMinute(UUID projectId) {
        return jdbc.sql("select count(*) from webhook_deliveries where project_id = :project "
                        + "and result = 'REJECTED' and received_at > :since")
                .param("project", projectId)
                .param("since", Timestamp.from(Instant.now(clock).minusSeconds(60)))
                .query(Integer.class)
                .single();
    }

    /** What the delivery that claimed this id did. */
    Optional<DeliveryView> first(UUID projectId, Forge forge, String deliveryId) {
        return jdbc.sql("""
                        select * from webhook_deliveries where project_id = :project and forge = :forge
                          and lower(delivery_id) = lower(:delivery) and result in ('BUILT','PING','IGNORED')""")
                .param("project", projectId)
                .param("forge", forge.name())
                .param("delivery", deliveryId)
                .query((rs, n) -> view(rs))
                .optional();
    }

    /**
     * Holds, until the transaction ends, the right to start a build of this project's ref at this commit: two
     * deliveries of one push under different ids then see each other's build instead of both starting one.
     */
    void holdPush(UUID projectId, String ref, String commit) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "webhook-push:" + projectId + ":" + ref + ":" + commit)
                .query()
                .listOfRows();
    }

    /** The newest build a webhook of this project started for this ref (short name) and commit since {@code since}. */
    Optional<EarlierBuild> builtByWebhookSince(UUID projectId, String ref, String commit, Instant since) {
        return jdbc.sql("""
                        select b.id, b.build_number, d.delivery_id, d.received_at
                        from webhook_deliveries d join builds b on b.id = d.build_id
                        where d.project_id = :project and d.result = 'BUILT' and d.received_at > :since
                          and b.ref = :ref and b.commit_sha = :commit
                        order by d.received_at desc limit 1""")
                .param("project", projectId)
                .param("since", Timestamp.from(since))
                .param("ref", ref)
                .param("commit", commit)
                .query((rs, n) -> new EarlierBuild(
                        rs.getObject("id", UUID.class),
                        rs.getLong("build_number"),
                        rs.getString("delivery_id"),
                        rs.getObject("received_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    List<DeliveryView> newestFirst(UUID projectId, int limit) {
        return jdbc.sql("""
                        select * from webhook_deliveries where project_id = :project
                        order by received_at desc, id limit :limit""")
                .param("project", projectId)
                .param("limit", limit)
                .query((rs, n) -> view(rs))
                .list();
    }

    /** The newest deliveries for the project page, each with the number of the build it started (if any). */
    List<DeliveryRow> newestWithBuilds(UUID projectId, int limit) {
        return jdbc.sql("""
                        select d.*, b.build_number from webhook_deliveries d left join builds b on b.id = d.build_id
                        where d.project_id = :project order by d.received_at desc, d.id limit :limit""")
                .param("project", projectId)
                .param("limit", limit)
                .query((rs, n) -> new DeliveryRow(view(rs), rs.getObject("build_number", Long.class)))
                .list();
    }

    private static DeliveryView view(ResultSet rs) throws SQLException {
        return new DeliveryView(
                rs.getObject("id", UUID.class),
                Forge.valueOf(rs.getString("forge")).wireName(),
                rs.getString("delivery_id"),
                rs.getString("event"),
                Result.valueOf(rs.getString("result")),
                rs.getString("detail"),
                rs.getObject("build_id", UUID.class),
                rs.getObject("received_at", OffsetDateTime.class).toInstant());
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

    /** A build a webhook started: its id and number, the delivery that started it and when. */
    record EarlierBuild(UUID id, long number, String deliveryId, Instant at) {}

    /** A delivery as the project page lists it: with the build's number, or null when it started none. */
    record DeliveryRow(DeliveryView delivery, Long buildNumber) {}

    record DeliveryView(
            UUID id,
            String forge,
            String deliveryId,
            String event,
            Result result,
            String detail,
            UUID build,
            Instant receivedAt) {}
}
