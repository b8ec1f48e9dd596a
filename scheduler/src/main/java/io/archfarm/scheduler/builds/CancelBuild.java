package io.archfarm.scheduler.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.JobStatus;
import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.jobs.JobAttempts;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.scheduler.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Stops a build: queued jobs end at once, running ones are told to stop, the build ends CANCELLED. */
@Component
class CancelBuild {

    private static final Logger log = LoggerFactory.getLogger(CancelBuild.class);
    static final String CONSUMER = "scheduler.build-cancel-requested";

    private final BuildStore builds;
    private final PlatformJobStore jobs;
    private final JobAttempts attempts;
    private final Outbox outbox;
    private final ProcessedMessages processed;
    private final Clock clock;

    CancelBuild(
            BuildStore builds,
            PlatformJobStore jobs,
            JobAttempts attempts,
            Outbox outbox,
            ProcessedMessages processed,
            Clock clock) {
        this.builds = builds;
        this.jobs = jobs;
        this.attempts = attempts;
        this.outbox = outbox;
        this.processed = processed;
        this.clock = clock;
    }

    @Transactional
    void cancel(BuildCancelRequested request) {
        if (!processed.firstTime(request.messageId(), CONSUMER)) {
            return;
        }
        Build build = builds.lock(request.buildId()).orElse(null);
        if (build == null || build.status().isTerminal()) {
            log.info(
                    "cancel of build {} ignored: {}",
                    request.buildId(),
                    build == null ? "no such build" : "already " + build.status());
            return;
        }
        String who = request.requestedBy() == null || request.requestedBy().isBlank()
                ? "an unnamed user"
                : request.requestedBy();
        String reason = request.reason() != null ? "cancelled: " + request.reason() : "cancelled by " + who;
        Instant now = clock.instant();
        for (PlatformJob job : jobs.lockOfBuild(build.id())) {
            if (job.status() == JobStatus.RUNNING) {
                outbox.cancelJob(new CancelJob(UUID.randomUUID(), job.id(), job.attempt(), reason));
                attempts.close(job.id(), job.attempt(), JobOutcome.CANCELLED.name(), reason, now);
            }
            if (!job.status().isTerminal()) {
                ConcurrentChangeException.requireWon(jobs.cancel(job, reason, now), "cancel of job " + job.id());
            }
        }
        ConcurrentChangeException.requireWon(
                builds.end(build, BuildStatus.CANCELLED, reason, now), "cancel of build " + build.id());
        log.info("build {} {}", build.id(), reason);
    }
}
