package io.archfarm.scheduler.jobs;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.outages.Outage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one owner of {@code platform_jobs}: its reads and every change of a job's state. Each change is named by
 * intent, checks the move against {@link JobStatus}'s table of allowed transitions (an illegal one throws, naming
 * from and to), and is guarded by the status and attempt the caller read ({@code where id = ? and status = ? and
 * attempt = ?}): it returns whether it won, false when the job moved on meanwhile.
 */
@Component
public class PlatformJobStore {

    static final String COLUMNS = "pj.id, pj.build_id, pj.platform, pj.placement, pj.status, pj.attempt,"
            + " pj.max_attempts, pj.worker_id, pj.dispatched_native, pj.dispatched_emulated, pj.native_deadline,"
            + " pj.unplaceable_since, pj.affinity_worker, pj.affinity_deadline, pj.queued_at, pj.mode";

    private final JdbcClient jdbc;

    PlatformJobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- reads

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<PlatformJob> lock(UUID jobId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj where pj.id = :id for update")
                .param("id", jobId)
                .query(PlatformJobStore::map)
                .optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<PlatformJob> lockRunningOn(String workerId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj"
                        + " where pj.worker_id = :worker and pj.status = 'RUNNING' for update")
                .param("worker", workerId)
                .query(PlatformJobStore::map)
                .list();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<PlatformJob> lockOfBuild(UUID buildId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj where pj.build_id = :build"
                        + " order by pj.platform for update")
                .param("build", buildId)
                .query(PlatformJobStore::map)
                .list();
    }

    public Optional<UUID> buildOf(UUID jobId) {
        return jdbc.sql("select build_id from platform_jobs where id = :id")
                .param("id", jobId)
                .query(UUID.class)
                .optional();
    }

    /** Every job of the build as it stands, for the merge: no lock (the merge re-checks before it records). */
    public List<EndedJob> ofBuild(UUID buildId) {
        return jdbc.sql("select id, platform, status, attempt, digest, error from platform_jobs"
                        + " where build_id = :build order by platform")
                .param("build", buildId)
                .query((rs, n) -> new EndedJob(
                        rs.getObject("id", UUID.class),
                        rs.getString("platform"),
                        JobStatus.valueOf(rs.getString("status")),
                        rs.getInt("attempt"),
                        rs.getString("digest"),
                        rs.getString("error")))
                .list();
    }

    /** RUNNING jobs claimed before {@code cutoff}. */
    public List<UUID> runningSince(Instant cutoff) {
        return jdbc.sql("select id from platform_jobs where status = 'RUNNING' and started_at < :cutoff")
                .param("cutoff", Timestamps.of(cutoff))
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** RUNNING jobs of the worker claimed before {@code cutoff}. */
    public List<UUID> runningOnSince(String workerId, Instant cutoff) {
        return jdbc.sql("select id from platform_jobs where worker_id = :worker"
                        + " and status = 'RUNNING' and started_at < :cutoff")
                .param("worker", workerId)
                .param("cutoff", Timestamps.of(cutoff))
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /**
     * Locks the QUEUED jobs of builds not being cancelled, oldest first, skipping rows another dispatcher holds.
     * The scope narrows it to what an event concerns; {@link DispatchScope#ALL} is the sweep. A job waiting out its
     * back-off after an outage ({@code not_before} after {@code now}) is left for a later sweep.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<PlatformJob> lockQueued(DispatchScope scope, Instant now) {
        var sql = jdbc.sql("select " + COLUMNS + " from platform_jobs pj join builds b on b.id = pj.build_id"
                + " where pj.status = 'QUEUED' and b.cancel_requested_at is null"
                + " and (pj.not_before is null or pj.not_before <= :now)" + scope.condition()
                + " order by pj.queued_at for update of pj skip locked");
        return scope.bind(sql.param("now", Timestamps.of(now)))
                .query(PlatformJobStore::map)
                .list();
    }

    /** The outage the job's attempts met so far, or empty when they met none. */
    public Optional<Outage> outage(UUID jobId) {
        return jdbc.sql("select outage_part, outage_since, outage_failures from platform_jobs"
                        + " where id = :id and outage_part is not null and outage_since is not null")
                .param("id", jobId)
                .query((rs, n) -> new Outage(
                        rs.getString("outage_part"),
                        rs.getObject("outage_since", OffsetDateTime.class).toInstant(),
                        rs.getInt("outage_failures")))
                .optional();
    }

    /** The platforms of the QUEUED jobs in {@code scope}, without a lock (to declare their queues beforehand). */
    public List<Platform> queuedPlatforms(DispatchScope scope) {
        var sql = jdbc.sql("select distinct pj.platform from platform_jobs pj join builds b on b.id = pj.build_id"
                + " where pj.status = 'QUEUED' and b.cancel_requested_at is null" + scope.condition());
        return scope.bind(sql).query((rs, row) -> rs.getString(1)).list().stream()
                .map(Platform::parse)
                .toList();
    }

    // ---- transitions

    /** A QUEUED job at attempt 0 for a platform of a build that has none yet; false when it has one. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean create(UUID buildId, Platform platform, Placement placement, int maxAttempts, Instant now) {
        return jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts,
                    queued_at)
                values (:id, :build, :platform, :placement, :status, 0, :maxAttempts, :now)
                on conflict (build_id, platform) do nothing""")
                        .param("id", UUID.randomUUID())
                        .param("build", buildId)
                        .param("platform", platform.toString())
                        .param("placement", placement.name())
                        .param("status", JobStatus.QUEUED.name())
                        .param("maxAttempts", maxAttempts)
                        .param("now", Timestamps.of(now))
                        .update()
                == 1;
    }

    /**
     * What the dispatcher sent of a QUEUED job (it stays QUEUED until a worker claims it). The attempt is the one the
     * assignments carry: a job never dispatched is at attempt 0 and goes out as attempt 1.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean dispatched(PlatformJob job, Dispatch dispatch) {
        if (job.status() != JobStatus.QUEUED) {
            throw new IllegalStateException(
                    "job " + job.id() + " is " + job.status() + ", only a QUEUED job is" + " dispatched");
        }
        return jdbc.sql("""
                update platform_jobs set attempt = :newAttempt,
                    dispatched_native = dispatched_native or :sendNative,
                    dispatched_emulated = dispatched_emulated or :sendEmulated,
                    native_deadline = :deadline, unplaceable_since = :since,
                    affinity_worker = coalesce(:affinityWorker, affinity_worker),
                    affinity_deadline = coalesce(:affinityDeadline, affinity_deadline), version = version + 1
                where id = :id and status = :from and attempt = :attempt""")
                        .param("newAttempt", dispatch.attempt())
                        .param("sendNative", dispatch.sentNative())
                        .param("sendEmulated", dispatch.sentEmulated())
                        .param("deadline", Timestamps.of(dispatch.nativeDeadline()))
                        .param("since", Timestamps.of(dispatch.unplaceableSince()))
                        .param("affinityWorker", dispatch.affinityWorker())
                        .param("affinityDeadline", Timestamps.of(dispatch.affinityDeadline()))
                        .param("id", job.id())
                        .param("from", job.status().name())
                        .param("attempt", job.attempt())
                        .update()
                == 1;
    }

    /** QUEUED → FAILED: no worker could take the job within the unplaceable timeout. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean failUnplaceable(PlatformJob job, String error, @Nullable Instant unplaceableSince, Instant now) {
        return change(
                job,
                JobStatus.FAILED,
                "error = :error, unplaceable_since = :since, finished_at = :now",
                sql -> sql.param("error", error)
                        .param("since", Timestamps.of(unplaceableSince))
                        .param("now", Timestamps.of(now)));
    }

    /**
     * QUEUED → RUNNING on {@code workerId}. The affinity records what the claim made of the job's preferred worker
     * (see the dispatcher's offers); {@code toolsJson} what the attempt runs with, as the claim said (or null).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean claim(
            PlatformJob job, String workerId, ExecutionMode mode, @Nullable String toolsJson, Instant now) {
        return change(
                job,
                JobStatus.RUNNING,
                """
                worker_id = :worker, mode = :mode, started_at = :now, unplaceable_since = null, error = null,
                tools = cast(:tools as jsonb),
                affinity = case when affinity_worker is null then 'NONE' when affinity_worker = :worker then 'HIT'
                    else 'MISS' end""",
                sql -> sql.param("worker", workerId)
                        .param("mode", mode.name())
                        .param("tools", toolsJson)
                        .param("now", Timestamps.of(now)));
    }

    /** RUNNING → SUCCEEDED, FAILED or CANCELLED, as the worker reported the attempt's end. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean end(PlatformJob job, JobStatus end, JobEnd details, Instant now) {
        if (end == JobStatus.QUEUED || end == JobStatus.RUNNING) {
            throw new IllegalArgumentException("an attempt ends SUCCEEDED, FAILED or CANCELLED, not " + end);
        }
        boolean succeeded = end == JobStatus.SUCCEEDED;
        return change(
                job,
                end,
                """
                digest = :digest, image_size = :size, media_type = :mediaType, error = :error,
                exit_code = :exitCode, build_millis = :millis, isolation = :isolation,
                phases = jsonb_strip_nulls(jsonb_build_object(
                    'queueWait', round(extract(epoch from started_at - queued_at) * 1000)::bigint,
                    'claim', cast(:claim as bigint), 'fetch', cast(:fetch as bigint),
                    'pull', cast(:pull as bigint), 'build', cast(:build as bigint),
                    'push', cast(:push as bigint))),
                cache = cast(:cache as jsonb), finished_at = :now""",
                sql -> sql.param("digest", succeeded ? details.digest() : null)
                        .param("size", succeeded ? details.size() : null)
                        .param("mediaType", succeeded ? details.mediaType() : null)
                        .param("error", details.error())
                        .param("exitCode", details.exitCode())
                        .param("millis", details.buildMillis())
                        .param("isolation", details.isolation())
                        .param("claim", details.claimMillis())
                        .param("fetch", details.fetchMillis())
                        .param("pull", details.pullMillis())
                        .param("build", details.buildPhaseMillis())
                        .param("push", details.pushMillis())
                        .param("cache", details.cacheJson())
                        .param("now", Timestamps.of(now)));
    }

    /** RUNNING → QUEUED at the next attempt: the attempt ended without a result of its own (lost, infrastructure). */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean requeue(PlatformJob job, String reason, Instant now) {
        return change(
                job, JobStatus.QUEUED, """
                attempt = attempt + 1, worker_id = null, mode = null, dispatched_native = false,
                dispatched_emulated = false, native_deadline = null, unplaceable_since = null, started_at = null,
                error = :reason, queued_at = :now""", sql -> sql.param("reason", reason).param("now", Timestamps.of(now)));
    }

    /**
     * RUNNING → QUEUED at the next attempt after the attempt met an outage of a part of the farm: the job keeps the
     * outage and waits until {@code notBefore} before it is dispatched again. Such an attempt does not count against
     * the job's attempts ({@code max_attempts} grows with it): the outage budget bounds these.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean requeueAfterOutage(PlatformJob job, String reason, Outage outage, Instant notBefore, Instant now) {
        return change(
                job,
                JobStatus.QUEUED,
                """
                attempt = attempt + 1, max_attempts = max_attempts + 1, worker_id = null, mode = null,
                dispatched_native = false, dispatched_emulated = false, native_deadline = null,
                unplaceable_since = null, started_at = null, error = :reason, queued_at = :now,
                not_before = :notBefore, outage_part = :part, outage_since = :since,
                outage_failures = :failures""",
                sql -> sql.param("reason", reason)
                        .param("now", Timestamps.of(now))
                        .param("notBefore", Timestamps.of(notBefore))
                        .param("part", outage.part())
                        .param("since", Timestamps.of(outage.since()))
                        .param("failures", outage.failures()));
    }

    /** → FAILED for good, with the reason. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean fail(PlatformJob job, String error, Instant now) {
        return change(
                job,
                JobStatus.FAILED,
                "error = :error, finished_at = :now",
                sql -> sql.param("error", error).param("now", Timestamps.of(now)));
    }

    /** → CANCELLED: its build was cancelled. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean cancel(PlatformJob job, String reason, Instant now) {
        return change(
                job,
                JobStatus.CANCELLED,
                "error = :reason, finished_at = :now",
                sql -> sql.param("reason", reason).param("now", Timestamps.of(now)));
    }

    /**
     * FAILED or CANCELLED → QUEUED at the next attempt, with a fresh budget of {@code budget} attempts: a person asked
     * to retry the build's failed platforms. The old attempt's row, log and outcome stay; the job forgets its worker,
     * image and error. max_attempts is computed from the attempt before the update.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean reopen(PlatformJob job, int budget, Instant now) {
        return change(
                job, JobStatus.QUEUED, """
                attempt = attempt + 1, max_attempts = attempt + :budget, worker_id = null, mode = null,
                dispatched_native = false, dispatched_emulated = false, native_deadline = null,
                unplaceable_since = null, digest = null, image_size = null, media_type = null, error = null,
                exit_code = null, build_millis = null, isolation = null, phases = null, cache = null, tools = null,
                started_at = null, finished_at = null, queued_at = :now, not_before = null, outage_part = null,
                outage_since = null, outage_failures = 0""", sql -> sql.param("budget", budget).param("now", Timestamps.of(now)));
    }

    /** Each merged platform's share of the merge, in its phases: the index is one piece of work for all of them. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordMergeShare(UUID buildId, long shareMillis) {
        jdbc.sql("""
                update platform_jobs set phases = coalesce(phases, '{}'::jsonb) || jsonb_build_object('merge', :share)
                where build_id = :build and status = 'SUCCEEDED'""").param("share", shareMillis).param("build", buildId).update();
    }

    private boolean change(PlatformJob job, JobStatus to, String set, UnaryOperator<JdbcClient.StatementSpec> params) {
        JobStatus next = job.status().moveTo(to);
        var sql = jdbc.sql("update platform_jobs set status = :to, " + set + ", version = version + 1"
                        + " where id = :id and status = :from and attempt = :attempt")
                .param("to", next.name())
                .param("id", job.id())
                .param("from", job.status().name())
                .param("attempt", job.attempt());
        return params.apply(sql).update() == 1;
    }

    static PlatformJob map(ResultSet rs, int row) throws SQLException {
        return new PlatformJob(
                rs.getObject("id", UUID.class),
                rs.getObject("build_id", UUID.class),
                Platform.parse(rs.getString("platform")),
                Placement.valueOf(rs.getString("placement")),
                JobStatus.valueOf(rs.getString("status")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("worker_id"),
                rs.getBoolean("dispatched_native"),
                rs.getBoolean("dispatched_emulated"),
                Timestamps.toInstant(rs.getObject("native_deadline", OffsetDateTime.class)),
                Timestamps.toInstant(rs.getObject("unplaceable_since", OffsetDateTime.class)),
                rs.getString("affinity_worker"),
                Timestamps.toInstant(rs.getObject("affinity_deadline", OffsetDateTime.class)),
                rs.getObject("queued_at", OffsetDateTime.class).toInstant(),
                rs.getString("mode") == null ? null : ExecutionMode.valueOf(rs.getString("mode")));
    }

    /** A job of a build as the merge reads it: enough to index it and to see later whether it moved. */
    public record EndedJob(UUID id, String platform, JobStatus status, int attempt, String digest, String error) {}

    /**
     * What one dispatch did to a QUEUED job.
     *
     * @param attempt the attempt its assignments carry (and the job is at afterwards)
     */
    public record Dispatch(
            int attempt,
            boolean sentNative,
            boolean sentEmulated,
            @Nullable Instant nativeDeadline,
            @Nullable Instant unplaceableSince,
            @Nullable String affinityWorker,
            @Nullable Instant affinityDeadline) {}

    /** Which QUEUED jobs a dispatch looks at. */
    public sealed interface DispatchScope {

        /** The sweep: every QUEUED job. */
        DispatchScope ALL = new All();

        static DispatchScope builds(Collection<UUID> buildIds) {
            return new OfBuilds(List.copyOf(buildIds));
        }

        static DispatchScope platforms(Collection<Platform> platforms) {
            return new OfPlatforms(
                    platforms.stream().map(Platform::toString).distinct().toList());
        }

        String condition();

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql);

        record All() implements DispatchScope {
            @Override
            public String condition() {
                return "";
            }

            @Override
            public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql) {
                return sql;
            }
        }

        record OfBuilds(List<UUID> buildIds) implements DispatchScope {
            @Override
            public String condition() {
                return buildIds.isEmpty() ? " and false" : " and pj.build_id in (:scope)";
            }

            @Override
            public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql) {
                return buildIds.isEmpty() ? sql : sql.param("scope", buildIds);
            }
        }

        record OfPlatforms(List<String> platforms) implements DispatchScope {
            @Override
            public String condition() {
                return platforms.isEmpty() ? " and false" : " and pj.platform in (:scope)";
            }

            @Override
            public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql) {
                return platforms.isEmpty() ? sql : sql.param("scope", platforms);
            }
        }
    }
}
