package io.archfarm.scheduler.manifests;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Merges every build whose jobs have all ended. Results trigger a merge right away; the periodic run catches the
 * jobs that ended elsewhere (unplaceable, out of attempts) and any merge that a crash interrupted.
 */
@Component
public class MergeFinishedBuilds {

    private static final Logger log = LoggerFactory.getLogger(MergeFinishedBuilds.class);

    private final JdbcClient jdbc;
    private final MergeBuild merge;

    MergeFinishedBuilds(JdbcClient jdbc, MergeBuild merge) {
        this.jdbc = jdbc;
        this.merge = merge;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    public void mergeAll() {
        List<UUID> finished = jdbc.sql("""
                select b.id from builds b
                where b.status in ('QUEUED', 'RUNNING') and b.cancel_requested_at is null
                  and exists (select 1 from platform_jobs j where j.build_id = b.id)
                  and not exists (select 1 from platform_jobs j where j.build_id = b.id
                                  and j.status in ('QUEUED', 'RUNNING'))""")
                .query(UUID.class).list();
        finished.forEach(this::mergeIfFinished);
    }

    public void mergeIfFinished(UUID buildId) {
        try {
            merge.mergeIfFinished(buildId);
        } catch (RuntimeException e) {
            log.error("merge of build {} failed, will try again: {}", buildId, e.toString(), e);
        }
    }
}
