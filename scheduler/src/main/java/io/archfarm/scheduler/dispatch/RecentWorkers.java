package io.archfarm.scheduler.dispatch;

import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.jobs.PlatformJob;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The workers whose caches are warm for a job: those that succeeded a job of the same project and platform within
 * {@code archfarm.scheduler.affinity-window}, most recent first. A build of no project counts as its repository's:
 * ad-hoc builds of one repository share layers as a project's builds do.
 */
@Component
class RecentWorkers {

    /** More than one, so that a preferred worker gone offline or draining leaves the next warm one. */
    private static final int CANDIDATES = 5;

    private final JdbcClient jdbc;
    private final SchedulerProperties properties;
    private final Clock clock;

    RecentWorkers(JdbcClient jdbc, SchedulerProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    List<String> of(PlatformJob job) {
        return jdbc.sql("""
                select pj.worker_id from platform_jobs pj
                join builds b on b.id = pj.build_id
                join builds mine on mine.id = :build
                where pj.status = 'SUCCEEDED' and pj.platform = :platform and pj.finished_at >= :since
                  and pj.worker_id is not null
                  and (b.project_id = mine.project_id
                       or (mine.project_id is null and b.project_id is null and b.repository = mine.repository))
                group by pj.worker_id
                order by max(pj.finished_at) desc
                limit :limit""")
                .param("build", job.buildId())
                .param("platform", job.platform().toString())
                .param("since", Timestamps.of(clock.instant().minus(properties.affinityWindow())))
                .param("limit", CANDIDATES)
                .query((rs, row) -> rs.getString(1))
                .list();
    }
}
