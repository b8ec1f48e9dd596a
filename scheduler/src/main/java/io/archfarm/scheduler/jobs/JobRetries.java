package io.archfarm.scheduler.jobs;

import io.archfarm.model.messages.CancelJob;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends a RUNNING attempt that did not finish on its own (lost worker, infrastructure failure): the attempt is closed
 * first, so attempts of one job never overlap, then the job is queued again at the next attempt or, after
 * max_attempts, fails with the last reason.
 */
@Component
public class JobRetries {

    private static final Logger log = LoggerFactory.getLogger(JobRetries.class);

    private final PlatformJobStore jobs;
    private final JobAttempts attempts;
    private final Outbox outbox;
    private final Clock clock;

    JobRetries(PlatformJobStore jobs, JobAttempts attempts, Outbox outbox, Clock clock) {
        this.jobs = jobs;
        this.attempts = attempts;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * @param job             the locked, RUNNING job
     * @param outcome         how the attempt ended ({@link JobAttempts#LOST}, INFRA_FAILED)
     * @param broadcastCancel whether the worker may still be running it (a cut-off worker must stop it too)
     * @return true when the job was queued again, false when it failed for good
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean retryOrFail(PlatformJob job, String outcome, String reason, boolean broadcastCancel) {
        Instant now = clock.instant();
        attempts.close(job.id(), job.attempt(), outcome, reason, now);
        if (broadcastCancel) {
            outbox.cancelJob(new CancelJob(UUID.randomUUID(), job.id(), job.attempt(), reason));
        }
        if (job.attempt() >= job.maxAttempts()) {
            fail(job, "gave up after " + job.attempt() + " of " + job.maxAttempts() + " attempts: " + reason, now);
            return false;
        }
        ConcurrentChangeException.requireWon(jobs.requeue(job, reason, now), "requeue of job " + job.id());
        log.info("job {} ({}) queued again at attempt {}: {}", job.id(), job.platform(), job.attempt() + 1, reason);
        return true;
    }

    /** Ends a RUNNING attempt for good: no retry, whatever attempt it is. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void giveUp(PlatformJob job, String outcome, String reason) {
        Instant now = clock.instant();
        attempts.close(job.id(), job.attempt(), outcome, reason, now);
        outbox.cancelJob(new CancelJob(UUID.randomUUID(), job.id(), job.attempt(), reason));
        fail(job, reason, now);
    }

    private void fail(PlatformJob job, String error, Instant now) {
        ConcurrentChangeException.requireWon(jobs.fail(job, error, now), "failing job " + job.id());
        log.info("job {} ({}) failed: {}", job.id(), job.platform(), error);
    }
}
