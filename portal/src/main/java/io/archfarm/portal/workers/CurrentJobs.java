package io.archfarm.portal.workers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What each worker is running now, from the scheduler's platform jobs; one query for the whole fleet. */
@Component
@Transactional(readOnly = true)
class CurrentJobs {

    private final JdbcClient jdbc;

    CurrentJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Running jobs by worker id. A job of a team the reader cannot see keeps only its platform and mode: the fleet is
     * shared, the builds are not.
     *
     * @param visibleTeams the reader's teams; empty means every team (an admin)
     */
    Map<String, List<CurrentJob>> byWorker(Optional<Set<UUID>> visibleTeams) {
        return jdbc
                .sql("""
                        select j.worker_id, j.platform, j.mode, j.attempt, j.started_at, b.id as build_id, b.team_id,
                               t.slug as team, p.slug as project, b.build_number
                        from platform_jobs j
                        join builds b on b.id = j.build_id
                        left join teams t on t.id = b.team_id
                        left join projects p on p.id = b.project_id
                        where j.status = 'RUNNING' and j.worker_id is not null
                        order by j.started_at""")
                .query((rs, n) -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    boolean visible = visibleTeams
                            .map(teams -> team != null && teams.contains(team))
                            .orElse(true);
                    OffsetDateTime started = rs.getObject("started_at", OffsetDateTime.class);
                    return new CurrentJob(
                            rs.getString("worker_id"),
                            rs.getString("platform"),
                            rs.getString("mode"),
                            rs.getInt("attempt"),
                            started == null ? null : started.toInstant(),
                            visible ? rs.getObject("build_id", UUID.class) : null,
                            visible
                                    ? label(
                                            rs.getString("team"),
                                            rs.getString("project"),
                                            rs.getObject("build_number", Long.class),
                                            rs.getObject("build_id", UUID.class))
                                    : null);
                })
                .list()
                .stream()
                .collect(Collectors.groupingBy(CurrentJob::worker));
    }

    private static String label(String team, String project, Long number, UUID build) {
        if (project != null) {
            return team + "/" + project + " #" + number;
        }
        return (team == null ? "" : team + " · ") + build.toString().substring(0, 8);
    }

    /** A running job; {@code buildId} and {@code build} are null when the reader may not see the build. */
    public record CurrentJob(
            String worker,
            String platform,
            String mode,
            int attempt,
            @Nullable Instant startedAt,
            @Nullable UUID buildId,
            @Nullable String build) {}
}
