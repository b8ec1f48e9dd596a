package io.archfarm.worker.jobs;

import io.archfarm.model.JobOutcome;
import io.archfarm.worker.Capabilities;
import io.archfarm.worker.WorkerProperties;
import io.archfarm.worker.build.JobControl;
import io.archfarm.worker.build.JobLog;
import io.archfarm.worker.build.JobRunner;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobsWaiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's slots: one thread each, taking a job when free and running it to the end. While the worker drains the
 * slots stop polling and the running attempts finish normally. On shutdown the slots stop polling, the running
 * attempts are killed and reported INFRA_FAILED so that the scheduler retries them elsewhere.
 * <p>
 * A slot that found the job queues empty waits for the poll interval in {@link IdleSlots}, where the scheduler's
 * doorbell ({@link JobsWaiting}) wakes it early when jobs were put on a queue this worker polls.
 */
@Component
class WorkerSlots implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSlots.class);
    static final String SHUTTING_DOWN = "worker shutting down";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final JobQueuePoller poller;
    private final JobRunner runner;
    private final RunningJobs runningJobs;
    private final WorkerPublisher publisher;
    private final Capabilities capabilities;
    private final Duration pollInterval;
    private final Set<String> polledQueues;
    private final IdleSlots idleSlots = new IdleSlots();
    private final List<Thread> threads = new ArrayList<>();
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean draining;

    WorkerSlots(JobQueuePoller poller, JobRunner runner, RunningJobs runningJobs, WorkerPublisher publisher,
            Capabilities capabilities, WorkerProperties properties, JobQueues jobQueues) {
        this.poller = poller;
        this.runner = runner;
        this.runningJobs = runningJobs;
        this.publisher = publisher;
        this.capabilities = capabilities;
        this.pollInterval = properties.pollInterval();
        this.polledQueues = Set.copyOf(jobQueues.inPollingOrder().stream().map(JobQueues.JobQueue::name).toList());
    }

    @Override
    public synchronized void start() {
        stopping = new CountDownLatch(1);
        idleSlots.open();
        draining = false;
        running = true;
        for (int slot = 1; slot <= capabilities.slots(); slot++) {
            threads.add(Thread.ofPlatform().name("worker-slot-" + slot).start(this::takeJobs));
        }
    }

    @Override
    public synchronized void stop() {
        draining = true;
        running = false;
        stopping.countDown();
        idleSlots.close();
        runningJobs.stopAll(JobOutcome.INFRA_FAILED, SHUTTING_DOWN);
        for (Thread thread : threads) {
            try {
                if (!thread.join(SHUTDOWN_WAIT)) {
                    LOG.warn("{} did not finish within {}", thread.getName(), SHUTDOWN_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before anything the slots use: they still send results while stopping. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    boolean draining() {
        return draining;
    }

    /** Takes no new job from now on; the jobs running finish normally. */
    void drain() {
        draining = true;
    }

    /** Takes jobs again after {@link #drain()}; a worker shutting down stays drained. */
    void resume() {
        if (running) {
            draining = false;
        }
    }

    /**
     * The doorbell: wakes as many idle slots as there are new jobs on queues this worker polls. A draining or
     * stopping worker, and one that polls none of the queues, stays as it is.
     */
    void jobsWaiting(JobsWaiting doorbell) {
        if (draining || !running) {
            return;
        }
        int jobs = (int) doorbell.queues().stream().filter(polledQueues::contains).count();
        if (jobs > 0) {
            int woken = idleSlots.ring(jobs);
            LOG.debug("doorbell for {} job(s) on this worker's queues woke {} idle slot(s)", jobs, woken);
        }
    }

    private void takeJobs() {
        while (running) {
            if (draining) {
                idle(pollInterval);
                continue;
            }
            long ringsBeforePoll = idleSlots.rings();
            JobQueuePoller.Poll poll;
            try {
                poll = poller.poll();
            } catch (RuntimeException e) {
                LOG.warn("cannot poll the job queues: {}", e.toString());
                poll = new JobQueuePoller.Poll.NoAnswer();
            }
            switch (poll) {
                case JobQueuePoller.Poll.Claimed claimed -> run(claimed);
                case JobQueuePoller.Poll.Dropped dropped -> { }
                case JobQueuePoller.Poll.Empty empty -> idleUntilTheDoorbell(ringsBeforePoll);
                case JobQueuePoller.Poll.NoAnswer noAnswer -> idle(pollInterval.multipliedBy(5));
            }
        }
    }

    private void run(JobQueuePoller.Poll.Claimed claimed) {
        var job = claimed.job();
        JobControl control = new JobControl(job.jobId(), job.attempt());
        JobLog log = new JobLog(job.jobId(), job.attempt(), publisher::logChunk, claimed.secrets().redaction());
        runningJobs.add(control, log);
        if (!running) {
            control.stop(JobOutcome.INFRA_FAILED, SHUTTING_DOWN);
        }
        JobFinished result;
        try {
            result = runner.run(job, claimed.mode(), control, log, claimed.credential(), claimed.secrets());
            if (result.phases() != null) {
                result = result.withPhases(result.phases().withClaim(claimed.claim().toMillis()));
            }
        } finally {
            runningJobs.remove(control);
        }
        LOG.info("job {} attempt {} ended {}{}", job.jobId(), job.attempt(), result.outcome(),
                result.error() == null ? " " + result.digest() : ": " + result.error().lines().findFirst().orElse(""));
        publisher.finished(result);
    }

    private void idleUntilTheDoorbell(long ringsBeforePoll) {
        try {
            idleSlots.await(pollInterval, ringsBeforePoll);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void idle(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
