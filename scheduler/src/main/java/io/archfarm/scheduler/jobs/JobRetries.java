package io.archfarm.scheduler.jobs;

import io.archfarm.model.JobStatus;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    private final JdbcClient jdbc;
    private final JobAttempts attempts;
    private final Outbox outbox;
    private final Clock clock;

    JobRetries(JdbcClient jdbc, JobAttempts attempts, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
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
        jdbc.sql("""
                update platform_jobs set status = :status, attempt = attempt + 1, worker_id = null, mode = null,
                    dispatched_native = false, dispatched_emulated = false, native_deadline = null,
                    unplaceable_since = null, started_at = null, error = :reason, queued_at = :now,
                    version = version + 1
                where id = :id""")
                .param("status", job.status().moveTo(JobStatus.QUEUED).name())
                .param("reason", reason).param("now", Timestamps.of(now)).param("id", job.id()).update();
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
        jdbc.sql("update platform_jobs set status = :status, error = :error, finished_at = :now,"
                        + " version = version + 1 where id = :id")
                .param("status", job.status().moveTo(JobStatus.FAILED).name())
                .param("error", error).param("now", Timestamps.of(now)).param("id", job.id()).update();
        log.info("job {} ({}) failed: {}", job.id(), job.platform(), error);
    }
}
