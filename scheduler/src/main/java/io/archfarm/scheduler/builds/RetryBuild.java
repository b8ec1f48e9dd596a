package io.archfarm.scheduler.builds;

import io.archfarm.model.JobStatus;
import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds again the platforms of an ended build that did not succeed. Each such job is queued again at the next
 * attempt with a fresh budget of attempts (the number keeps counting up, so a late result of an old attempt stays
 * stale), the succeeded jobs keep their digests, and the build is RUNNING again; the dispatcher, the claims and the
 * merge then treat it like any other build, and the merge indexes the kept digests with the new ones.
 */
@Component
class RetryBuild {

    private static final Logger log = LoggerFactory.getLogger(RetryBuild.class);
    static final String CONSUMER = "scheduler.build-retry-requested";

    private final JdbcClient jdbc;
    private final BuildStore builds;
    private final PlatformJobStore jobs;
    private final FanOutBuild fanOut;
    private final ProcessedMessages processed;
    private final SchedulerProperties properties;
    private final Clock clock;

    RetryBuild(
            JdbcClient jdbc,
            BuildStore builds,
            PlatformJobStore jobs,
            FanOutBuild fanOut,
            ProcessedMessages processed,
            SchedulerProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.builds = builds;
        this.jobs = jobs;
        this.fanOut = fanOut;
        this.processed = processed;
        this.properties = properties;
        this.clock = clock;
    }

    /** Returns whether jobs were queued again (so that the dispatcher can run right away). */
    @Transactional
    boolean retry(BuildRetryRequested request) {
        if (!processed.firstTime(request.messageId(), CONSUMER)) {
            log.info(
                    "BuildRetryRequested {} for build {} seen before, nothing to do",
                    request.messageId(),
                    request.buildId());
            return false;
        }
        Build build = builds.lock(request.buildId()).orElse(null);
        if (build == null) {
            log.warn("retry of build {} ignored: no such build", request.buildId());
            return false;
        }
        builds.retryTakenUp(build.id());
        if (!build.status().isRetryable()) {
            log.info("retry of build {} ignored: it is {}", build.id(), build.status());
            return false;
        }
        Instant now = clock.instant();
        List<String> retried = new ArrayList<>();
        for (PlatformJob job : jobs.lockOfBuild(build.id())) {
            if (job.status().isTerminal() && job.status().canMoveTo(JobStatus.QUEUED)) {
                queueAgain(job, now);
                retried.add(job.platform() + " at attempt " + (job.attempt() + 1));
            }
        }
        // a build cancelled before its fan-out has no jobs yet
        int created = fanOut.createMissingJobs(build);
        if (retried.isEmpty() && created == 0) {
            log.info("retry of build {} ignored: every platform succeeded", build.id());
            return false;
        }
        jdbc.sql("delete from manifest_lists where build_id = :build")
                .param("build", build.id())
                .update();
        ConcurrentChangeException.requireWon(builds.reopen(build, now), "re-opening build " + build.id());
        log.info(
                "build {} re-opened by {}: {}{}",
                build.id(),
                who(request),
                String.join(", ", retried),
                created == 0 ? "" : (retried.isEmpty() ? "" : ", ") + created + " platform(s) never fanned out");
        return true;
    }

    /** The old attempt's row, log and outcome stay; the job starts a fresh budget of attempts. */
    private void queueAgain(PlatformJob job, Instant now) {
        ConcurrentChangeException.requireWon(
                jobs.reopen(job, properties.maxAttempts(), now), "re-opening job " + job.id());
    }

    private static String who(BuildRetryRequested request) {
        return request.requestedBy() == null || request.requestedBy().isBlank()
                ? "an unnamed user"
                : request.requestedBy();
    }
}
