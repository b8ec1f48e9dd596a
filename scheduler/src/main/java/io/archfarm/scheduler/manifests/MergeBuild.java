package io.archfarm.scheduler.manifests;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.JobStatus;
import io.archfarm.model.PublishPolicy;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.Builds;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends a build whose jobs have all ended: publishes the manifest list its publish policy allows, or fails it. The
 * build row stays locked for the whole merge, and a build that is already terminal is left alone, so a build is
 * merged once however often it is asked.
 */
@Component
class MergeBuild {

    private static final Logger log = LoggerFactory.getLogger(MergeBuild.class);

    private final JdbcClient jdbc;
    private final Builds builds;
    private final PublishManifestList publisher;
    private final Clock clock;

    MergeBuild(JdbcClient jdbc, Builds builds, PublishManifestList publisher, Clock clock) {
        this.jdbc = jdbc;
        this.builds = builds;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Transactional
    public void mergeIfFinished(UUID buildId) {
        Build build = builds.lock(buildId).orElse(null);
        if (build == null || build.status().isTerminal() || build.cancelRequested()) {
            return;
        }
        List<FinishedJob> jobs = jdbc.sql("select platform, status, digest, error from platform_jobs"
                        + " where build_id = :build order by platform")
                .param("build", buildId)
                .query((rs, n) -> new FinishedJob(rs.getString("platform"), JobStatus.valueOf(rs.getString("status")),
                        rs.getString("digest"), rs.getString("error")))
                .list();
        if (jobs.isEmpty() || jobs.stream().anyMatch(job -> !job.status().isTerminal())) {
            return;
        }
        Map<Boolean, List<FinishedJob>> bySuccess = jobs.stream()
                .collect(Collectors.partitioningBy(job -> job.status() == JobStatus.SUCCEEDED));
        List<FinishedJob> succeeded = bySuccess.get(true);
        List<FinishedJob> failed = bySuccess.get(false);
        if (succeeded.isEmpty() || (!failed.isEmpty() && build.publish() == PublishPolicy.ALL)) {
            end(build, BuildStatus.FAILED, failures(failed));
            return;
        }
        long mergeStart = System.nanoTime();
        try {
            publisher.publish(build, succeeded.stream().collect(
                    Collectors.toMap(FinishedJob::platform, FinishedJob::digest, (a, b) -> a,
                            LinkedHashMap::new)));
        } catch (MergeFailedException e) {
            end(build, BuildStatus.FAILED, e.getMessage());
            return;
        }
        recordMergeShare(buildId, Duration.ofNanos(System.nanoTime() - mergeStart), succeeded.size());
        end(build, failed.isEmpty() ? BuildStatus.SUCCEEDED : BuildStatus.PARTIAL,
                failed.isEmpty() ? null : "published without " + failures(failed));
    }

    /** Each merged platform's share of the merge: the index is one piece of work for all of them. */
    private void recordMergeShare(UUID buildId, Duration merge, int platforms) {
        jdbc.sql("""
                update platform_jobs set phases = coalesce(phases, '{}'::jsonb) || jsonb_build_object('merge', :share)
                where build_id = :build and status = 'SUCCEEDED'""")
                .param("share", merge.toMillis() / platforms).param("build", buildId).update();
    }

    private void end(Build build, BuildStatus status, String error) {
        builds.finish(build, status, error, clock.instant());
        log.info("build {} ended {}{}", build.id(), status, error == null ? "" : ": " + error);
    }

    private static String failures(List<FinishedJob> failed) {
        List<String> parts = new ArrayList<>();
        for (FinishedJob job : failed) {
            parts.add(job.platform() + " " + job.status().name().toLowerCase() + ": " + firstLine(job.error()));
        }
        return "platforms failed: " + String.join("; ", parts);
    }

    /** The build's error summarises; each platform's own error (and its log) keeps the details. */
    private static String firstLine(String error) {
        if (error == null || error.isBlank()) {
            return "no reason given";
        }
        int newline = error.indexOf('\n');
        return newline < 0 ? error : error.substring(0, newline);
    }

    private record FinishedJob(String platform, JobStatus status, String digest, String error) {
    }
}
