package io.archfarm.scheduler.jobs;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.outages.Outage;
import io.archfarm.scheduler.outages.OutageBackOff;
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
    private final OutageBackOff backOff;
    private final Clock clock;

    JobRetries(PlatformJobStore jobs, JobAttempts attempts, Outbox outbox, OutageBackOff backOff, Clock clock) {
        this.jobs = jobs;
        this.attempts = attempts;
        this.outbox = outbox;
        this.backOff = backOff;
        this.clock = clock;
    }

    /**
     * Ends a RUNNING attempt that met an outage of {@code part} (a registry or git server failing for now): the job
     * waits out a back-off in the queue and is tried again, however many attempts that takes, until the part has been
     * failing for the outage budget; then it fails naming the part and how long it was down.
     *
     * @param job    the locked, RUNNING job
     * @param part   the part that failed, as the worker named it ({@code registry 127.0.0.1:5000})
     * @param reason the attempt's failure
     * @return true when the job was queued again, false when it failed for good
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean retryAfterOutage(PlatformJob job, String part, String reason) {
        Instant now = clock.instant();
        Outage outage = Outage.after(jobs.outage(job.id()).orElse(null), part, now);
        attempts.close(job.id(), job.attempt(), JobOutcome.INFRA_FAILED.name(), reason, now);
        if (backOff.budgetSpent(outage, now)) {
            fail(
                    job,
                    outage.describe(now) + ", longer than the outage budget of " + Outage.format(backOff.budget())
                            + " (" + outage.failures() + " attempts met it): " + reason,
                    now);
            return false;
        }
        Instant next = backOff.nextTry(outage, now);
        ConcurrentChangeException.requireWon(
                jobs.requeueAfterOutage(job, reason, outage, next, now),
                "requeue of job " + job.id() + " after an outage");
        log.info(
                "job {} ({}) queued again at attempt {}, not before {} ({} attempt(s) in a row met it, since {}): {}",
                job.id(),
                job.platform(),
                job.attempt() + 1,
                next,
                outage.failures(),
                outage.since(),
                reason);
        return true;
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
