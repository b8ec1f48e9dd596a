package io.archfarm.scheduler.workers;

import io.archfarm.model.WorkerStatus;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.jobs.JobAttempts;
import io.archfarm.scheduler.jobs.JobRetries;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A worker silent for longer than the heartbeat timeout goes OFFLINE and loses its running jobs. */
@Component
class RequeueJobsOfSilentWorkers {

    private static final Logger log = LoggerFactory.getLogger(RequeueJobsOfSilentWorkers.class);

    private final JdbcClient jdbc;
    private final PlatformJobStore jobs;
    private final JobRetries retries;
    private final SchedulerProperties properties;
    private final Clock clock;

    RequeueJobsOfSilentWorkers(
            JdbcClient jdbc, PlatformJobStore jobs, JobRetries retries, SchedulerProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.retries = retries;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    @Transactional
    public void requeue() {
        List<String> silent = jdbc.sql("select id from workers where status <> :offline and last_seen < :cutoff"
                        + " for update skip locked")
                .param("offline", WorkerStatus.OFFLINE.name())
                .param("cutoff", Timestamps.of(clock.instant().minus(properties.heartbeatTimeout())))
                .query((rs, row) -> rs.getString(1))
                .list();
        for (String worker : silent) {
            jdbc.sql("update workers set status = :offline, busy = 0 where id = :id")
                    .param("offline", WorkerStatus.OFFLINE.name())
                    .param("id", worker)
                    .update();
            log.info("worker {} silent for more than {}, now OFFLINE", worker, properties.heartbeatTimeout());
            for (PlatformJob job : jobs.lockRunningOn(worker)) {
                retries.retryOrFail(job, JobAttempts.LOST, "worker " + worker + " stopped heart-beating", true);
            }
        }
    }
}
