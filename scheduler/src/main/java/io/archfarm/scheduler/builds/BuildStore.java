package io.archfarm.scheduler.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.outages.Outage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scheduler's one owner of {@code builds}: the portal inserts a build (and marks cancel and retry requests), the
 * scheduler moves its status, only here. Each change is named by intent, checks the move against
 * {@link BuildStatus}'s table of allowed transitions (an illegal one throws, naming from and to), and is guarded by
 * the status and version the caller read ({@code where id = ? and status = ? and version = ?}): it returns whether it
 * won, false when the build changed meanwhile.
 */
@Component
public class BuildStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    BuildStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // ---- reads

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Build> lock(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id for update")
                .param("id", buildId)
                .query(this::map)
                .optional();
    }

    /** The build as it stands, without a lock. */
    public Optional<Build> find(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id")
                .param("id", buildId)
                .query(this::map)
                .optional();
    }

    /**
     * Builds not ended nor being cancelled whose jobs have all ended: what the merge has to look at. A build whose
     * merge waits out its back-off after a registry outage is left until {@code now} reaches it.
     */
    public List<UUID> withAllJobsEnded(Instant now) {
        return jdbc.sql("""
                select b.id from builds b
                where b.status in ('QUEUED', 'RUNNING') and b.cancel_requested_at is null
                  and (b.merge_not_before is null or b.merge_not_before <= :now)
                  and exists (select 1 from platform_jobs j where j.build_id = b.id)
                  and not exists (select 1 from platform_jobs j where j.build_id = b.id
                                  and j.status in ('QUEUED', 'RUNNING'))""")
                .param("now", Timestamps.of(now))
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** When the build's next merge may start after an outage of its registry; empty when it need not wait. */
    public Optional<Instant> mergeNotBefore(UUID buildId) {
        return jdbc.sql("select merge_not_before from builds where id = :id and merge_not_before is not null")
                .param("id", buildId)
                .query((rs, n) -> Timestamps.toInstant(rs.getObject("merge_not_before", OffsetDateTime.class)))
                .optional();
    }

    /** The outage the build's merges met so far, or empty when they met none. */
    public Optional<Outage> mergeOutage(UUID buildId) {
        return jdbc.sql("select merge_outage_part, merge_outage_since, merge_outage_failures from builds"
                        + " where id = :id and merge_outage_part is not null and merge_outage_since is not null")
                .param("id", buildId)
                .query((rs, n) -> new Outage(
                        rs.getString("merge_outage_part"),
                        rs.getObject("merge_outage_since", OffsetDateTime.class).toInstant(),
                        rs.getInt("merge_outage_failures")))
                .optional();
    }

    // ---- transitions

    /** QUEUED → RUNNING: the first granted claim starts the build. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean start(Build build, Instant now) {
        return change(build, BuildStatus.RUNNING, "started_at = :now", sql -> sql.param("now", Timestamps.of(now)));
    }

    /** → SUCCEEDED, PARTIAL, FAILED or CANCELLED, with the error that says why (null for SUCCEEDED). */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean end(Build build, BuildStatus end, @Nullable String error, Instant now) {
        if (!end.isTerminal()) {
            throw new IllegalArgumentException("a build ends SUCCEEDED, PARTIAL, FAILED or CANCELLED, not " + end);
        }
        return change(
                build,
                end,
                "error = :error, finished_at = :now",
                sql -> sql.param("error", error).param("now", Timestamps.of(now)));
    }

    /**
     * An ended build → RUNNING again: a retry re-opens it, without the error and end of its last run, and without the
     * cancellation that ended it (else the dispatcher, the claims and the merge would all still treat it as
     * cancelled). It keeps its first start.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean reopen(Build build, Instant now) {
        return change(build, BuildStatus.RUNNING, """
                error = null, finished_at = null, cancel_requested_at = null, retry_requested_at = null,
                started_at = coalesce(started_at, :now), merge_not_before = null, merge_outage_part = null,
                merge_outage_since = null, merge_outage_failures = 0""", sql -> sql.param("now", Timestamps.of(now)));
    }

    /**
     * The merge met an outage of the build's registry: it is tried again not before {@code notBefore}. The status
     * stays; the version counts up, as for every change.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean mergeDeferred(Build build, Outage outage, Instant notBefore) {
        return jdbc.sql("""
                update builds set merge_not_before = :notBefore, merge_outage_part = :part,
                    merge_outage_since = :since, merge_outage_failures = :failures, version = version + 1
                where id = :id and status = :status and version = :version""")
                        .param("notBefore", Timestamps.of(notBefore))
                        .param("part", outage.part())
                        .param("since", Timestamps.of(outage.since()))
                        .param("failures", outage.failures())
                        .param("id", build.id())
                        .param("status", build.status().name())
                        .param("version", build.version())
                        .update()
                == 1;
    }

    /** The portal's mark against double requests has done its work once the scheduler took the request up. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void retryTakenUp(UUID buildId) {
        jdbc.sql("update builds set retry_requested_at = null where id = :id and retry_requested_at is not null")
                .param("id", buildId)
                .update();
    }

    private boolean change(Build build, BuildStatus to, String set, UnaryOperator<JdbcClient.StatementSpec> params) {
        BuildStatus next = build.status().moveTo(to);
        var sql = jdbc.sql("update builds set status = :to, " + set + ", version = version + 1"
                        + " where id = :id and status = :from and version = :version")
                .param("to", next.name())
                .param("id", build.id())
                .param("from", build.status().name())
                .param("version", build.version());
        return params.apply(sql).update() == 1;
    }

    private static Map<String, Placement> placements(Map<String, String> byPlatform) {
        Map<String, Placement> placements = new HashMap<>();
        byPlatform.forEach((platform, placement) ->
                placements.put(Platform.parse(platform).toString(), Placement.valueOf(placement)));
        return Map.copyOf(placements);
    }

    private Build map(ResultSet rs, int row) throws SQLException {
        return new Build(
                rs.getObject("id", UUID.class),
                BuildStatus.valueOf(rs.getString("status")),
                rs.getString("repository"),
                rs.getString("ref"),
                rs.getString("commit_sha"),
                rs.getBoolean("fetch_submodules"),
                rs.getString("containerfile"),
                rs.getString("context_dir"),
                rs.getString("image"),
                json.readValue(rs.getString("tags"), STRINGS),
                json.readValue(rs.getString("platforms"), STRINGS),
                json.readValue(rs.getString("build_args"), STRING_MAP),
                Placement.valueOf(rs.getString("placement")),
                placements(json.readValue(rs.getString("platform_placements"), STRING_MAP)),
                PublishPolicy.valueOf(rs.getString("publish")),
                rs.getString("requested_by"),
                Timestamps.toInstant(rs.getObject("cancel_requested_at", OffsetDateTime.class)),
                rs.getObject("team_id", UUID.class),
                rs.getBoolean("layer_cache"),
                rs.getBoolean("no_cache"),
                rs.getLong("version"),
                rs.getLong("accepted_seq"));
    }
}
