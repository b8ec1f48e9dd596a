package io.archfarm.scheduler.jobs;

import io.archfarm.model.JobStatus;
import io.archfarm.scheduler.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The worker kills a build at the job timeout and reports it; a job still RUNNING well past that (a worker that
 * heart-beats but hangs, a result lost on the way) would otherwise hold its build forever. It fails for good, with
 * a cancellation to the worker, since a build that outlived its timeout once would do it again.
 */
@Component
class FailJobsPastTheirTimeout {

    static final String OUTCOME = "TIMED_OUT";

    private final PlatformJobStore jobs;
    private final JobRetries retries;
    private final SchedulerProperties properties;
    private final Clock clock;

    FailJobsPastTheirTimeout(PlatformJobStore jobs, JobRetries retries, SchedulerProperties properties, Clock clock) {
        this.jobs = jobs;
        this.retries = retries;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    @Transactional
    public void failOverdue() {
        List<UUID> overdue =
                jobs.runningSince(clock.instant().minus(properties.jobTimeout()).minus(properties.resultGrace()));
        for (UUID id : overdue) {
            jobs.lock(id)
                    .filter(job -> job.status() == JobStatus.RUNNING)
                    .ifPresent(job -> retries.giveUp(
                            job,
                            OUTCOME,
                            "no result from worker " + job.workerId() + " within the job timeout of "
                                    + human(properties.jobTimeout()) + " and " + human(properties.resultGrace())
                                    + " of grace"));
        }
    }

    /** PT1H30M as 1h30m. */
    private static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
