package io.archfarm.worker.jobs;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.WorkerHeartbeat.RunningJob;
import io.archfarm.worker.build.JobControl;
import io.archfarm.worker.build.JobLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The attempts this worker runs right now: listed in heartbeats, stopped by cancellations and the shutdown. An attempt
 * that ended is listed as finished for {@link #FINISHED_LISTED} more: its result may wait in the broker's queue for as
 * long as the scheduler is behind, and a heartbeat that listed it nowhere would have the scheduler take the job back
 * (and then drop the result as out of date).
 */
@Component
class RunningJobs {

    static final Duration FINISHED_LISTED = Duration.ofMinutes(10);

    record Running(JobControl control, JobLog log) {}

    private final Map<RunningJob, Running> running = new ConcurrentHashMap<>();
    private final Map<RunningJob, Instant> finished = new ConcurrentHashMap<>();

    void add(JobControl control, JobLog log) {
        running.put(new RunningJob(control.jobId(), control.attempt()), new Running(control, log));
    }

    /** The attempt ended without a result to send (the runner failed): the scheduler may take the job back. */
    void remove(JobControl control) {
        running.remove(new RunningJob(control.jobId(), control.attempt()));
    }

    /** The attempt ended (its result is sent next): listed as finished from now on, before it is off the list. */
    void finish(JobControl control, Instant now) {
        RunningJob job = new RunningJob(control.jobId(), control.attempt());
        finished.put(job, now);
        running.remove(job);
    }

    /** How many attempts run now. */
    int count() {
        return running.size();
    }

    List<RunningJob> list() {
        return sorted(running.keySet());
    }

    /** The attempts that ended within {@link #FINISHED_LISTED} of {@code now}; older ones are forgotten here. */
    List<RunningJob> recentlyFinished(Instant now) {
        Instant oldest = now.minus(FINISHED_LISTED);
        finished.values().removeIf(end -> end.isBefore(oldest));
        return sorted(finished.keySet());
    }

    private static List<RunningJob> sorted(Collection<RunningJob> jobs) {
        return jobs.stream()
                .sorted(Comparator.comparing(RunningJob::jobId).thenComparing(RunningJob::attempt))
                .toList();
    }

    /** Returns whether this worker ran that attempt. */
    boolean cancel(UUID jobId, int attempt, String reason) {
        Running job = running.get(new RunningJob(jobId, attempt));
        if (job == null) {
            return false;
        }
        job.control().stop(JobOutcome.CANCELLED, reason == null || reason.isBlank() ? "cancelled" : reason);
        return true;
    }

    void stopAll(JobOutcome outcome, String reason) {
        running.values().forEach(job -> job.control().stop(outcome, reason));
    }

    void flushLogsIfDue() {
        running.values().forEach(job -> job.log().flushIfDue());
    }
}
