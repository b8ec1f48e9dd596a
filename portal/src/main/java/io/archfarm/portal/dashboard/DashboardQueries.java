package io.archfarm.portal.dashboard;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard's live counts, read on every view: each is answered from an index over a handful of rows. Platform
 * jobs and workers are the scheduler's tables, read here and never written.
 */
@Component
@Transactional(readOnly = true)
class DashboardQueries {

    private final JdbcClient jdbc;
    private final Clock clock;

    DashboardQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The team's builds that ended FAILED or PARTIAL since midnight (UTC). */
    public long failedToday(UUID team) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return jdbc.sql("""
                        select count(*) from builds
                        where team_id = :team and status in ('FAILED', 'PARTIAL') and finished_at >= :midnight""")
                .param("team", team)
                .param("midnight", today.atStartOfDay().atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .single();
    }

    /**
     * QUEUED platform jobs per platform and the queue they wait in ({@link QueueDepth#mode}): of {@code teams}
     * (empty: every team) and of the whole farm; only platforms with some are listed. One query for any number of
     * teams. A QUEUED job's build is QUEUED or RUNNING (the scheduler ends a build only once its jobs ended, and a
     * cancel ends its jobs with it), so the teams' jobs are found among their open builds, a few hundred rows at most,
     * rather than by a join with every build (on a busy farm, 2,400 queued jobs and 100,000 builds: 1.7 ms against
     * 82 ms, which made the join read the whole table).
     */
    public List<QueueDepth> queueDepth(Optional<Set<UUID>> teams) {
        String mine = teams.isEmpty()
                ? "true"
                : "j.build_id in (select id from builds where status in" + " ('QUEUED', 'RUNNING') and "
                        + ofTeams(teams, "team_id") + ")";
        JdbcClient.StatementSpec query = jdbc.sql("""
                        select j.platform, case when j.dispatched_emulated then 'EMULATED'
                                                when j.dispatched_native then 'NATIVE' end as mode,
                               count(*) filter (where %s) as teams, count(*) as farm
                        from platform_jobs j where j.status = 'QUEUED'
                        group by 1, 2 order by 1, 2 nulls first""".formatted(mine));
        teams.filter(ids -> !ids.isEmpty()).ifPresent(ids -> query.param("teams", ids));
        return query.query((rs, n) -> new QueueDepth(
                        rs.getString("platform"), rs.getString("mode"), rs.getLong("teams"), rs.getLong("farm")))
                .list();
    }

    /** Running and queued builds of {@code teams} (empty: every team, and the builds outside any). */
    public ActiveCounts activeCounts(Optional<Set<UUID>> teams) {
        JdbcClient.StatementSpec query = jdbc.sql("""
                        select count(*) filter (where status = 'RUNNING') as running,
                               count(*) filter (where status = 'QUEUED') as queued
                        from builds where status in ('RUNNING', 'QUEUED') and %s""".formatted(ofTeams(teams, "team_id")));
        teams.filter(ids -> !ids.isEmpty()).ifPresent(ids -> query.param("teams", ids));
        return query.query((rs, n) -> new ActiveCounts(rs.getLong("running"), rs.getLong("queued")))
                .single();
    }

    /** The fleet by state, and the job slots of the workers that are not OFFLINE. */
    public WorkerCounts workers() {
        Map<String, long[]> byStatus = jdbc
                .sql("""
                        select status, count(*) as workers, sum(slots) as slots, sum(busy) as busy
                        from workers group by status""")
                .query((rs, n) -> Map.entry(
                        rs.getString("status"),
                        new long[] {rs.getLong("workers"), rs.getLong("slots"), rs.getLong("busy")}))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        long[] none = {0, 0, 0};
        long[] online = byStatus.getOrDefault("ONLINE", none);
        long[] draining = byStatus.getOrDefault("DRAINING", none);
        return new WorkerCounts(
                online[0],
                draining[0],
                byStatus.getOrDefault("OFFLINE", none)[0],
                online[2] + draining[2],
                online[1] + draining[1]);
    }

    /** The SQL condition "owned by one of {@code teams}" on {@code column}, whose ids go in {@code :teams}. */
    private static String ofTeams(Optional<Set<UUID>> teams, String column) {
        return teams.map(ids -> ids.isEmpty() ? "false" : column + " in (:teams)")
                .orElse("true");
    }

    /** Builds of the board's teams that run and that wait. */
    record ActiveCounts(long running, long queued) {}
}
