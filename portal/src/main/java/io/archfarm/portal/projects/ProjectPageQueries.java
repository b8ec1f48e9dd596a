package io.archfarm.portal.projects;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What the projects list reads: every project the reader sees with its newest build, in one query. */
@Component
class ProjectPageQueries {

    private final JdbcClient jdbc;

    ProjectPageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param teams the teams whose projects to list; empty means every team (the reader is an admin)
     */
    @Transactional(readOnly = true)
    List<ProjectRow> overview(Optional<Set<UUID>> teams) {
        if (teams.map(Set::isEmpty).orElse(false)) {
            return List.of();
        }
        String where = teams.isPresent() ? "where p.team_id in (:teams)" : "";
        var query = jdbc.sql("""
                select t.slug as team, p.slug, p.repository, p.default_branch,
                       b.id as build_id, b.build_number, b.status, b.ref, b.created_at
                from projects p
                join teams t on t.id = p.team_id
                left join lateral (select id, build_number, status, ref, created_at from builds
                                   where project_id = p.id order by created_at desc limit 1) b on true
                """ + where + " order by t.slug, p.slug");
        if (teams.isPresent()) {
            query = query.param("teams", teams.get());
        }
        return query.query((rs, n) -> {
                    UUID build = rs.getObject("build_id", UUID.class);
                    LastBuild last = build == null
                            ? null
                            : new LastBuild(
                                    build,
                                    rs.getLong("build_number"),
                                    rs.getString("status"),
                                    rs.getString("ref"),
                                    Objects.requireNonNull(instant(rs.getTimestamp("created_at"))));
                    return new ProjectRow(
                            rs.getString("team"),
                            rs.getString("slug"),
                            rs.getString("repository"),
                            rs.getString("default_branch"),
                            last);
                })
                .list();
    }

    private static @Nullable Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** A project in the list; {@code lastBuild} is null before its first build. */
    record ProjectRow(
            String team,
            String slug,
            String repository,
            String defaultBranch,
            @Nullable LastBuild lastBuild) {}

    record LastBuild(UUID id, long number, String status, String ref, Instant createdAt) {}
}
