package io.archfarm.worker.jobs;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.WorkerHeartbeat.RunningJob;
import io.archfarm.worker.build.JobControl;
import io.archfarm.worker.build.JobLog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The attempts this worker runs right now: listed in heartbeats, stopped by cancellations and the shutdown. */
@Component
class RunningJobs {

    record Running(JobControl control, JobLog log) {
    }

    private final Map<RunningJob, Running> running = new ConcurrentHashMap<>();

    void add(JobControl control, JobLog log) {
        running.put(new RunningJob(control.jobId(), control.attempt()), new Running(control, log));
    }

    void remove(JobControl control) {
        running.remove(new RunningJob(control.jobId(), control.attempt()));
    }

    List<RunningJob> list() {
        return running.keySet().stream().sorted((a, b) -> a.jobId().compareTo(b.jobId())).toList();
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
