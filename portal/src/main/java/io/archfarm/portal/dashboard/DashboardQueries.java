package io.archfarm.portal.dashboard;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
                .param("team", team).param("midnight", today.atStartOfDay().atOffset(ZoneOffset.UTC))
                .query(Long.class).single();
    }

    /** QUEUED platform jobs per platform, the team's and the farm's; only platforms with some are listed. */
    public List<QueueDepth> queueDepth(UUID team) {
        return jdbc.sql("""
                        select j.platform, count(*) filter (where b.team_id = :team) as team, count(*) as farm
                        from platform_jobs j join builds b on b.id = j.build_id
                        where j.status = 'QUEUED'
                        group by j.platform order by j.platform""")
                .param("team", team)
                .query((rs, n) -> new QueueDepth(rs.getString("platform"), rs.getLong("team"), rs.getLong("farm")))
                .list();
    }

    public WorkerCounts workers() {
        Map<String, Long> byStatus = jdbc.sql("select status, count(*) as workers from workers group by status")
                .query((rs, n) -> Map.entry(rs.getString("status"), rs.getLong("workers"))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new WorkerCounts(byStatus.getOrDefault("ONLINE", 0L), byStatus.getOrDefault("DRAINING", 0L),
                byStatus.getOrDefault("OFFLINE", 0L));
    }
}
