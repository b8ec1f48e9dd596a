package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.WorkerHeartbeat.RunningJob;
import io.archfarm.worker.build.JobControl;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An attempt that ended is no longer running, but the heartbeats list it as finished for a while. */
class RunningJobsTest {

    @Test
    void anEndedAttemptIsListedAsFinishedForAWhileThenForgotten() {
        RunningJobs jobs = new RunningJobs();
        UUID jobId = UUID.randomUUID();
        Instant ended = Instant.parse("2026-12-07T12:00:00Z");

        jobs.finish(new JobControl(jobId, 2), ended);

        assertThat(jobs.list()).isEmpty();
        assertThat(jobs.recentlyFinished(ended.plus(RunningJobs.FINISHED_LISTED)))
                .containsExactly(new RunningJob(jobId, 2));
        assertThat(jobs.recentlyFinished(ended.plus(RunningJobs.FINISHED_LISTED).plusSeconds(1)))
                .isEmpty();
        assertThat(jobs.recentlyFinished(ended)).as("forgotten for good").isEmpty();
    }
}
