package io.archfarm.worker.jobs;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Sends what running builds printed within about half a second, even when they print little. */
@Component
class FlushJobLogs {

    private final RunningJobs runningJobs;

    FlushJobLogs(RunningJobs runningJobs) {
        this.runningJobs = runningJobs;
    }

    @Scheduled(fixedDelay = 200)
    void flush() {
        runningJobs.flushLogsIfDue();
    }
}
