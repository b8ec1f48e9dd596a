package io.archfarm.scheduler.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.scheduler.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The scheduler's side of {@code builds}: the portal inserts a build, the scheduler moves its status. */
@Component
public class Builds {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Builds(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Build> lock(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id for update").param("id", buildId)
                .query(this::map).optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Build> find(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id").param("id", buildId).query(this::map).optional();
    }

    /** The first granted claim starts the build; later ones find it RUNNING already. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void started(Build build, Instant now) {
        if (build.status() == BuildStatus.QUEUED) {
            jdbc.sql("update builds set status = :status, started_at = :now, version = version + 1 where id = :id")
                    .param("status", build.status().moveTo(BuildStatus.RUNNING).name())
                    .param("now", Timestamps.of(now)).param("id", build.id()).update();
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void finish(Build build, BuildStatus end, String error, Instant now) {
        jdbc.sql("update builds set status = :status, error = :error, finished_at = :now, version = version + 1"
                        + " where id = :id")
                .param("status", build.status().moveTo(end).name()).param("error", error)
                .param("now", Timestamps.of(now)).param("id", build.id()).update();
    }

    /**
     * A retry re-opens an ended build: RUNNING again, without the error and end of its last run, and without the
     * cancellation that ended it (else the dispatcher, the claims and the merge would all still treat it as
     * cancelled). It keeps its first start.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void reopen(Build build, Instant now) {
        jdbc.sql("""
                update builds set status = :status, error = null, finished_at = null, cancel_requested_at = null,
                    retry_requested_at = null, started_at = coalesce(started_at, :now), version = version + 1
                where id = :id""")
                .param("status", build.status().moveTo(BuildStatus.RUNNING).name())
                .param("now", Timestamps.of(now)).param("id", build.id()).update();
    }

    /** The portal's mark against double requests has done its work once the scheduler took the request up. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void retryTakenUp(UUID buildId) {
        jdbc.sql("update builds set retry_requested_at = null where id = :id and retry_requested_at is not null")
                .param("id", buildId).update();
    }

    private static Map<String, Placement> placements(Map<String, String> byPlatform) {
        Map<String, Placement> placements = new java.util.HashMap<>();
        byPlatform.forEach((platform, placement) -> placements.put(Platform.parse(platform).toString(),
                Placement.valueOf(placement)));
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
                rs.getBoolean("no_cache"));
    }
}
