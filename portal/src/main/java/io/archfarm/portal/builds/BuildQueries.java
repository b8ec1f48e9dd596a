package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
import io.archfarm.portal.builds.BuildView.ManifestEntryView;
import io.archfarm.portal.builds.BuildView.ManifestListView;
import io.archfarm.portal.builds.BuildView.PlatformJobView;
import io.archfarm.portal.problems.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads builds for the API and the pages. The build row is the portal's own; platform jobs and manifest lists are
 * the scheduler's tables, read here and never written.
 */
@Component
@Transactional(readOnly = true)
public class BuildQueries {

    private final BuildRepository builds;
    private final JdbcClient jdbc;

    BuildQueries(BuildRepository builds, JdbcClient jdbc) {
        this.builds = builds;
        this.jdbc = jdbc;
    }

    public Optional<BuildView> view(UUID id) {
        return builds.findById(id).map(build -> views(List.of(build)).getFirst());
    }

    /** The team owning a build (empty inside: an admin's build outside any team); empty if no such build. */
    public Optional<Optional<UUID>> ownerOf(UUID id) {
        return jdbc.sql("select team_id from builds where id = :id")
                .param("id", id)
                .query((rs, n) -> Optional.ofNullable(rs.getObject("team_id", UUID.class)))
                .optional();
    }

    /** Platforms a build form offers: what the fleet builds natively or emulated now, and the farm's usual three. */
    public List<String> offeredPlatforms() {
        TreeSet<String> platforms = new TreeSet<>(List.of("linux/amd64", "linux/arm64", "linux/s390x"));
        platforms.addAll(jdbc.sql("""
                        select distinct p from workers,
                               jsonb_array_elements_text(native_platforms || emulated_platforms) as p
                        where status <> 'OFFLINE'""").query(String.class).list());
        return List.copyOf(platforms);
    }

    /** The OCI image index of a build exactly as pushed, if it has one. */
    public Optional<String> manifestListJson(UUID id) {
        return jdbc.sql("select content from manifest_lists where build_id = :id")
                .param("id", id)
                .query(String.class)
                .optional();
    }

    /**
     * A fingerprint of everything a build page shows but the logs: it changes whenever the build or one of its jobs
     * does. It starts with {@code status:retryRequestedAt:}. Empty if there is no such build.
     */
    public Optional<String> stateOf(UUID id) {
        return jdbc.sql("""
                        select b.status || ':' || coalesce(b.retry_requested_at::text, '') || ':' || b.version || ':'
                               || coalesce(b.cancel_requested_at::text, '') || ':'
                               || coalesce((select string_agg(j.platform || '=' || j.status || '/' || j.attempt || '/'
                                                              || j.version, ',' order by j.platform)
                                            from platform_jobs j where j.build_id = b.id), '')
                               || ':' || coalesce((select m.digest from manifest_lists m where m.build_id = b.id), '')
                        from builds b where b.id = :id""").param("id", id).query(String.class).optional();
    }

    /** The newest builds that pass the filter, newest first. */
    public List<BuildView> recent(BuildFilter filter) {
        if (filter.teams().map(Set::isEmpty).orElse(false)) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("select id from builds where true");
        Map<String, Object> params = new HashMap<>();
        filter.teams().ifPresent(teams -> {
            sql.append(" and team_id in (:teams)");
            params.put("teams", teams);
        });
        filter.status().ifPresent(status -> {
            sql.append(" and status = :status");
            params.put("status", status.name());
        });
        if (filter.projectId() != null) {
            sql.append(" and project_id = :project");
            params.put("project", filter.projectId());
        }
        sql.append(" order by created_at desc limit :limit");
        params.put("limit", filter.limit());
        return viewsOf(jdbc.sql(sql.toString())
                .params(params)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list());
    }

    /** The builds with these ids, in this order (one that is gone meanwhile is left out). */
    List<BuildView> viewsOf(List<UUID> ids) {
        Map<UUID, Build> byId = builds.findAllById(ids).stream().collect(Collectors.toMap(Build::id, build -> build));
        return views(ids.stream().map(byId::get).filter(Objects::nonNull).toList());
    }

    /**
     * @param teams     the teams whose builds to include; empty means every team and the builds outside any team
     * @param projectId only this project's builds, or null
     */
    public record BuildFilter(
            Optional<BuildStatus> status,
            Optional<Set<UUID>> teams,
            @Nullable UUID projectId,
            int limit) {}

    /** Four queries for any number of builds: the builds, their jobs, their manifest lists and their entries. */
    private List<BuildView> views(List<Build> found) {
        if (found.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = found.stream().map(Build::id).toList();
        Map<UUID, List<JobRow>> jobs = jobsOf(ids);
        Map<UUID, ManifestListView> manifestLists = manifestListsOf(ids);
        Map<UUID, String> teams = slugs("teams", found.stream().map(Build::teamId));
        Map<UUID, String> projects = slugs("projects", found.stream().map(Build::projectId));
        return found.stream()
                .map(build -> {
                    List<PlatformJobView> platformJobs = platformJobs(build, jobs.getOrDefault(build.id(), List.of()));
                    List<String> retryPlatforms = retryPlatforms(build, platformJobs);
                    return new BuildView(
                            build.id(),
                            build.status().name(),
                            teams.get(build.teamId()),
                            projects.get(build.projectId()),
                            build.buildNumber(),
                            build.trigger().name(),
                            build.requestedBy(),
                            build.repository(),
                            build.ref(),
                            build.commitSha(),
                            build.containerfile(),
                            build.contextDir(),
                            build.image(),
                            build.tags(),
                            build.buildArgs(),
                            build.placement().wireName(),
                            build.publish().wireName(),
                            BuildView.layerCacheOf(build.layerCache()),
                            build.noCache(),
                            build.error(),
                            build.createdAt(),
                            build.startedAt(),
                            build.finishedAt(),
                            platformJobs,
                            manifestLists.get(build.id()),
                            !retryPlatforms.isEmpty() && build.retryRequestedAt() == null,
                            retryPlatforms,
                            build.retryRequestedAt());
                })
                .toList();
    }

    /** What {@link BuildService#retryFailed} would build again, by the same rule. */
    private static List<String> retryPlatforms(Build build, List<PlatformJobView> jobs) {
        if (!build.status().isRetryable()) {
            return List.of();
        }
        return BuildService.notSucceeded(
                build.platforms(),
                jobs.stream()
                        .filter(job -> "SUCCEEDED".equals(job.status()))
                        .map(PlatformJobView::platform)
                        .toList());
    }

    /** In the order the build asked for them; a platform without a job yet is still waiting for the fan-out. */
    private static List<PlatformJobView> platformJobs(Build build, List<JobRow> rows) {
        Map<String, PlatformJobView> byPlatform =
                rows.stream().collect(Collectors.toMap(row -> row.job().platform(), JobRow::job));
        return build.platforms().stream()
                .map(p -> byPlatform.getOrDefault(
                        p,
                        PlatformJobView.notYetFannedOut(p, build.placementOf(p).wireName())))
                .toList();
    }

    private Map<UUID, List<JobRow>> jobsOf(List<UUID> buildIds) {
        return jdbc
                .sql("""
                        select build_id, platform, placement, status, mode, worker_id, attempt, digest, image_size,
                               error, started_at, finished_at, isolation, phases, cache, affinity, affinity_worker,
                               tools
                        from platform_jobs where build_id in (:ids)""")
                .param("ids", buildIds)
                .query((rs, n) -> new JobRow(
                        rs.getObject("build_id", UUID.class),
                        new PlatformJobView(
                                rs.getString("platform"),
                                Placement.valueOf(rs.getString("placement")).wireName(),
                                rs.getString("status"),
                                rs.getString("mode"),
                                rs.getString("worker_id"),
                                rs.getInt("attempt"),
                                rs.getString("digest"),
                                rs.getObject("image_size", Long.class),
                                rs.getString("error"),
                                instant(rs, "started_at"),
                                instant(rs, "finished_at"),
                                rs.getString("isolation"),
                                JsonColumns.phases(rs.getString("phases")),
                                JsonColumns.cache(rs.getString("cache")),
                                rs.getString("affinity"),
                                rs.getString("affinity_worker"),
                                JsonColumns.tools(rs.getString("tools")))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(JobRow::buildId));
    }

    private Map<UUID, ManifestListView> manifestListsOf(List<UUID> buildIds) {
        Map<UUID, List<ManifestEntryView>> entries = jdbc
                .sql("""
                        select m.build_id, e.platform, e.digest, e.size, e.media_type
                        from manifest_list_entries e join manifest_lists m on m.id = e.manifest_list_id
                        where m.build_id in (:ids) order by e.platform""")
                .param("ids", buildIds)
                .query((rs, n) -> Map.entry(
                        rs.getObject("build_id", UUID.class),
                        new ManifestEntryView(
                                rs.getString("platform"),
                                rs.getString("digest"),
                                rs.getLong("size"),
                                rs.getString("media_type"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return jdbc
                .sql("select build_id, digest, media_type, tags from manifest_lists where build_id in (:ids)")
                .param("ids", buildIds)
                .query((rs, n) -> {
                    UUID buildId = rs.getObject("build_id", UUID.class);
                    return Map.entry(
                            buildId,
                            new ManifestListView(
                                    rs.getString("digest"),
                                    rs.getString("media_type"),
                                    JsonColumns.stringList(rs.getString("tags")),
                                    entries.getOrDefault(buildId, List.of())));
                })
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private Map<UUID, String> slugs(String table, Stream<UUID> ids) {
        Set<UUID> wanted = ids.filter(Objects::nonNull).collect(Collectors.toSet());
        if (wanted.isEmpty()) {
            return new HashMap<>();
        }
        return jdbc
                .sql("select id, slug from " + table + " where id in (:ids)")
                .param("ids", wanted)
                .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("slug")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, HashMap::new));
    }

    private record JobRow(UUID buildId, PlatformJobView job) {}

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static final int MAX_LIMIT = 500;

    /** A {@code limit} query parameter, checked. */
    public static int limitParam(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit", "limit " + limit + " is out of range: expected 1.." + MAX_LIMIT);
        }
        return limit;
    }

    /** A {@code status} query parameter: empty for any status. */
    public static Optional<BuildStatus> statusParam(String status) {
        if (status == null || status.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildStatus.valueOf(status.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "status",
                    "unknown build status '" + status + "': expected one of " + List.of(BuildStatus.values()));
        }
    }
}
