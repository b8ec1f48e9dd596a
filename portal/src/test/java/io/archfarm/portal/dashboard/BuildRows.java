package io.archfarm.portal.dashboard;

import io.archfarm.portal.FarmAccounts;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builds, platform jobs and workers written straight into the tables, as the portal and the scheduler would, with
 * known statuses, times and durations relative to {@code now} (no scheduler runs in the portal's tests).
 */
final class BuildRows {

    private static final Duration DAY = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Instant now;

    BuildRows(JdbcClient jdbc, Instant now) {
        this.jdbc = jdbc;
        this.now = now;
    }

    UUID teamId(String slug) {
        return jdbc.sql("select id from teams where slug = :slug")
                .param("slug", slug)
                .query(UUID.class)
                .single();
    }

    /** A build that ended at {@code ended} (null: still queued or running), created an hour before. */
    UUID build(UUID team, String status, String ref, Instant ended) {
        UUID id = UUID.randomUUID();
        Instant created = ended == null ? now.minusSeconds(30) : ended.minus(Duration.ofHours(1));
        if ("QUEUED".equals(status)) {
            created = now.minusSeconds(10);
        }
        jdbc.sql("""
                        insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image,
                                            platforms, placement, publish, team_id, trigger, created_at, started_at,
                                            finished_at)
                        values (:id, :status, 'https://git.example.com/app.git', :ref, 'abc123', 'Containerfile',
                                '.', 'registry.example.com/app', '[]', 'NATIVE_PREFERRED', 'ALL', :team, 'API',
                                :created, :started, :finished)""")
                .param("id", id)
                .param("status", status)
                .param("ref", ref)
                .param("team", team)
                .param("created", utc(created))
                .param("started", "QUEUED".equals(status) ? null : utc(created))
                .param("finished", ended == null ? null : utc(ended))
                .update();
        return id;
    }

    /** A platform job of the build that took {@code seconds}, ending when the build did (or still running). */
    void job(UUID build, String platform, String status, String mode, long seconds) {
        Instant ended = jdbc.sql("select finished_at from builds where id = :id")
                .param("id", build)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
                .optional()
                .map(OffsetDateTime::toInstant)
                .orElse(null);
        Instant started =
                ended == null ? ("QUEUED".equals(status) ? null : now.minusSeconds(20)) : ended.minusSeconds(seconds);
        jdbc.sql("update builds set platforms = platforms || to_jsonb(cast(:platform as text)) where id = :id")
                .param("platform", platform)
                .param("id", build)
                .update();
        jdbc.sql("""
                        insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts,
                                                   mode, queued_at, started_at, finished_at)
                        values (:id, :build, :platform, 'NATIVE_PREFERRED', :status, 1, 3, :mode, :queued, :started,
                                :finished)""")
                .param("id", UUID.randomUUID())
                .param("build", build)
                .param("platform", platform)
                .param("status", status)
                .param("mode", mode)
                .param("queued", utc(now.minus(DAY.multipliedBy(50))))
                .param("started", started == null ? null : utc(started))
                .param("finished", ended == null ? null : utc(ended))
                .update();
    }

    void worker(String status) {
        jdbc.sql("""
                        insert into workers (id, host, slots, status, draining, first_seen, last_seen)
                        values (:id, 'host', 2, :status, :draining, now(), now())""")
                .param("id", FarmAccounts.unique("dash-worker"))
                .param("status", status)
                .param("draining", "DRAINING".equals(status))
                .update();
    }

    /** A QUEUED job as the dispatcher leaves it: sent to its platform's {@code NATIVE} or {@code EMULATED} queue. */
    void queuedIn(UUID build, String platform, String mode) {
        jdbc.sql("""
                        update platform_jobs set dispatched_native = :native, dispatched_emulated = :emulated
                        where build_id = :build and platform = :platform""")
                .param("native", "NATIVE".equals(mode))
                .param("emulated", "EMULATED".equals(mode))
                .param("build", build)
                .param("platform", platform)
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
