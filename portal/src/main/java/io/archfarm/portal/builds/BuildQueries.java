package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
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
        return builds.findById(id).map(build -> views(List.of(build)).getFirst());
    }

    List<BuildView> recent(Optional<BuildStatus> status, int limit) {
        List<Build> found = status
                .map(s -> builds.findByStatusOrderByCreatedAtDesc(s, Limit.of(limit)))
                .orElseGet(() -> builds.findAllByOrderByCreatedAtDesc(Limit.of(limit)));
        return views(found);
    }

    /** Four queries for any number of builds: the builds, their jobs, their manifest lists and their entries. */
    private List<BuildView> views(List<Build> found) {
        if (found.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = found.stream().map(Build::id).toList();
        Map<UUID, List<JobRow>> jobs = jobsOf(ids);
        Map<UUID, ManifestListView> manifestLists = manifestListsOf(ids);
        return found.stream().map(build -> new BuildView(build.id(), build.status().name(), build.repository(),
                build.ref(), build.commitSha(), build.containerfile(), build.contextDir(), build.image(), build.tags(),
                build.buildArgs(), build.placement().wireName(), build.publish().wireName(), build.error(),
                build.createdAt(), build.startedAt(), build.finishedAt(),
                platformJobs(build, jobs.getOrDefault(build.id(), List.of())), manifestLists.get(build.id())))
                .toList();
    }

    /** In the order the build asked for them; a platform without a job yet is still waiting for the fan-out. */
    private static List<PlatformJobView> platformJobs(Build build, List<JobRow> rows) {
        Map<String, PlatformJobView> byPlatform = rows.stream()
                .collect(Collectors.toMap(row -> row.job().platform(), JobRow::job));
        return build.platforms().stream()
                .map(p -> byPlatform.getOrDefault(p,
                        PlatformJobView.notYetFannedOut(p, build.placementOf(p).wireName())))
                .toList();
    }

    private Map<UUID, List<JobRow>> jobsOf(List<UUID> buildIds) {
        return jdbc.sql("""
                        select build_id, platform, placement, status, mode, worker_id, attempt, digest, error,
                               started_at, finished_at
                        from platform_jobs where build_id in (:ids)""")
                .param("ids", buildIds)
                .query((rs, n) -> new JobRow(rs.getObject("build_id", UUID.class), new PlatformJobView(
                        rs.getString("platform"), Placement.valueOf(rs.getString("placement")).wireName(),
                        rs.getString("status"), rs.getString("mode"),
                        rs.getString("worker_id"), rs.getInt("attempt"), rs.getString("digest"), rs.getString("error"),
                        instant(rs, "started_at"), instant(rs, "finished_at"))))
                .list().stream()
                .collect(Collectors.groupingBy(JobRow::buildId));
    }

    private Map<UUID, ManifestListView> manifestListsOf(List<UUID> buildIds) {
        Map<UUID, List<ManifestEntryView>> entries = jdbc.sql("""
                        select m.build_id, e.platform, e.digest, e.size, e.media_type
                        from manifest_list_entries e join manifest_lists m on m.id = e.manifest_list_id
                        where m.build_id in (:ids) order by e.platform""")
                .param("ids", buildIds)
                .query((rs, n) -> Map.entry(rs.getObject("build_id", UUID.class), new ManifestEntryView(
                        rs.getString("platform"), rs.getString("digest"), rs.getLong("size"),
                        rs.getString("media_type"))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return jdbc.sql("select build_id, digest, media_type, tags from manifest_lists where build_id in (:ids)")
                .param("ids", buildIds)
                .query((rs, n) -> {
                    UUID buildId = rs.getObject("build_id", UUID.class);
                    return Map.entry(buildId, new ManifestListView(rs.getString("digest"), rs.getString("media_type"),
                            JsonColumns.stringList(rs.getString("tags")), entries.getOrDefault(buildId, List.of())));
                })
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private record JobRow(UUID buildId, PlatformJobView job) {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
