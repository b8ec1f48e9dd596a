package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.portal.builds.BuildView.ManifestEntryView;
import io.archfarm.portal.builds.BuildView.ManifestListView;
import io.archfarm.portal.builds.BuildView.PlatformJobView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads builds for the API and the pages. The build row is the portal's own; platform jobs and manifest lists are
 * the scheduler's tables, read here and never written.
 */
@Component
@Transactional(readOnly = true)
class BuildQueries {

    private final BuildRepository builds;
    private final JdbcClient jdbc;

    BuildQueries(BuildRepository builds, JdbcClient jdbc) {
        this.builds = builds;
        this.jdbc = jdbc;
    }

    Optional<BuildView> view(UUID id) {
        return builds.findById(id).map(this::view);
    }

    List<BuildView> recent(Optional<BuildStatus> status, int limit) {
        List<Build> found = status
                .map(s -> builds.findByStatusOrderByCreatedAtDesc(s, Limit.of(limit)))
                .orElseGet(() -> builds.findAllByOrderByCreatedAtDesc(Limit.of(limit)));
        return found.stream().map(this::view).toList();
    }

    private BuildView view(Build build) {
        return new BuildView(build.id(), build.status().name(), build.repository(), build.ref(), build.commitSha(),
                build.containerfile(), build.contextDir(), build.image(), build.tags(), build.buildArgs(),
                build.placement().wireName(), build.publish().wireName(), build.error(), build.createdAt(),
                build.startedAt(), build.finishedAt(), platformJobs(build), manifestList(build.id()).orElse(null));
    }

    /** In the order the build asked for them; a platform without a job yet is still waiting for the fan-out. */
    private List<PlatformJobView> platformJobs(Build build) {
        Map<String, PlatformJobView> jobs = jdbc.sql("""
                        select platform, status, mode, worker_id, attempt, digest, error, started_at, finished_at
                        from platform_jobs where build_id = :id""")
                .param("id", build.id())
                .query((rs, n) -> new PlatformJobView(rs.getString("platform"), rs.getString("status"),
                        rs.getString("mode"), rs.getString("worker_id"), rs.getInt("attempt"), rs.getString("digest"),
                        rs.getString("error"), instant(rs, "started_at"), instant(rs, "finished_at")))
                .list().stream()
                .collect(Collectors.toMap(PlatformJobView::platform, Function.identity()));
        return build.platforms().stream()
                .map(p -> jobs.getOrDefault(p, PlatformJobView.notYetFannedOut(p)))
                .toList();
    }

    private Optional<ManifestListView> manifestList(UUID buildId) {
        return jdbc.sql("select id, digest, media_type, tags from manifest_lists where build_id = :id")
                .param("id", buildId)
                .query((rs, n) -> new ManifestListView(rs.getString("digest"), rs.getString("media_type"),
                        JsonColumns.stringList(rs.getString("tags")), entries(rs.getObject("id", UUID.class))))
                .optional();
    }

    private List<ManifestEntryView> entries(UUID manifestListId) {
        return jdbc.sql("""
                        select platform, digest, size, media_type from manifest_list_entries
                        where manifest_list_id = :id order by platform""")
                .param("id", manifestListId)
                .query((rs, n) -> new ManifestEntryView(rs.getString("platform"), rs.getString("digest"),
                        rs.getLong("size"), rs.getString("media_type")))
                .list();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
