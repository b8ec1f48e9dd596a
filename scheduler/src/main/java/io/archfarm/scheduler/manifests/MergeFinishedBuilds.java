package io.archfarm.scheduler.manifests;

import io.archfarm.scheduler.builds.BuildStore;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Merges every build whose jobs have all ended. Results trigger a merge right away; the periodic run catches the
 * jobs that ended elsewhere (unplaceable, out of attempts) and any merge that a crash interrupted. Neither runs in a
 * transaction: {@link MergeBuild} opens its own short ones around the registry's I/O.
 */
@Component
public class MergeFinishedBuilds {

    private static final Logger log = LoggerFactory.getLogger(MergeFinishedBuilds.class);

    private final BuildStore builds;
    private final MergeBuild merge;
    private final Clock clock;

    MergeFinishedBuilds(BuildStore builds, MergeBuild merge, Clock clock) {
        this.builds = builds;
        this.merge = merge;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    public void mergeAll() {
        List<UUID> finished = builds.withAllJobsEnded(clock.instant());
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
