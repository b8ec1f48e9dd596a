package io.archfarm.scheduler.workers;

import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.jobs.JobAttempts;
import io.archfarm.scheduler.jobs.JobRetries;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A worker that restarts under the same id keeps heart-beating, so silence never reveals the jobs it lost. Its
 * heartbeat lists what it really runs: a job the database has RUNNING on it that the heartbeat no longer lists is
 * retried. Jobs claimed less than a heartbeat timeout ago are left alone, since the heartbeat may predate them.
 */
@Component
class RequeueJobsForgottenByWorkers {

    private final PlatformJobStore jobs;
    private final JobRetries retries;
    private final SchedulerProperties properties;
    private final Clock clock;

    RequeueJobsForgottenByWorkers(
            PlatformJobStore jobs, JobRetries retries, SchedulerProperties properties, Clock clock) {
        this.jobs = jobs;
        this.retries = retries;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void requeue(WorkerHeartbeat beat) {
        Set<String> running = new HashSet<>();
        if (beat.running() != null) {
            beat.running().forEach(r -> running.add(r.jobId() + "/" + r.attempt()));
        }
        // an attempt the worker finished has a result on its way: it is not forgotten, whatever the queue's delay
        if (beat.finished() != null) {
            beat.finished().forEach(r -> running.add(r.jobId() + "/" + r.attempt()));
        }
        List<UUID> claimedEarlier =
                jobs.runningOnSince(beat.workerId(), sentOrNow(beat).minus(properties.heartbeatTimeout()));
        if (claimedEarlier.isEmpty()) {
            return;
        }
        for (PlatformJob job : jobs.lockRunningOn(beat.workerId())) {
            if (claimedEarlier.contains(job.id()) && !running.contains(job.id() + "/" + job.attempt())) {
                retries.retryOrFail(
                        job,
                        JobAttempts.LOST,
                        "worker " + beat.workerId() + " no longer runs attempt " + job.attempt()
                                + " (it restarted or dropped the job)",
                        true);
            }
        }
    }

    /**
     * When the heartbeat was sent, by the worker's clock (never later than now): a heartbeat that waited in a long
     * queue predates the jobs claimed meanwhile, so the cutoff counts from its sending, not from its reading. Counting
     * from now requeued jobs a busy scheduler read late heartbeats about, and ran them twice.
     */
    private Instant sentOrNow(WorkerHeartbeat beat) {
        Instant now = clock.instant();
        return beat.sentAt() == null || beat.sentAt().isAfter(now) ? now : beat.sentAt();
    }
}
