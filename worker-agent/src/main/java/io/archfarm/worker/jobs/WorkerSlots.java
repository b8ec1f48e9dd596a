package io.archfarm.worker.jobs;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.worker.Capabilities;
import io.archfarm.worker.build.JobControl;
import io.archfarm.worker.build.JobLog;
import io.archfarm.worker.build.JobRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's slots: one thread each, taking the job messages the broker pushes ({@link JobConsumers}), claiming
 * them and running each granted job to the end. While the worker drains the consumers are cancelled and the running
 * attempts finish normally. On shutdown the consumers are cancelled, the running attempts are killed and reported
 * INFRA_FAILED so that the scheduler retries them elsewhere.
 */
@Component
class WorkerSlots implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSlots.class);
    static final String SHUTTING_DOWN = "worker shutting down";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);
    /** After a claim with no answer, the slot waits this long before it takes the next message. */
    private static final Duration NO_ANSWER_PAUSE = Duration.ofSeconds(1);

    private final JobConsumers consumers;
    private final JobClaims claims;
    private final JobRunner runner;
    private final RunningJobs runningJobs;
    private final WorkerPublisher publisher;
    private final Capabilities capabilities;
    private final SlotMetrics metrics;
    private final List<Thread> threads = new ArrayList<>();
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean draining;

    WorkerSlots(
            JobConsumers consumers,
            JobClaims claims,
            JobRunner runner,
            RunningJobs runningJobs,
            WorkerPublisher publisher,
            Capabilities capabilities,
            SlotMetrics metrics) {
        this.consumers = consumers;
        this.metrics = metrics;
        this.claims = claims;
        this.runner = runner;
        this.runningJobs = runningJobs;
        this.publisher = publisher;
        this.capabilities = capabilities;
    }

    @Override
    public synchronized void start() {
        stopping = new CountDownLatch(1);
        draining = false;
        running = true;
        consumers.start();
        for (int slot = 1; slot <= capabilities.slots(); slot++) {
            threads.add(Thread.ofPlatform().name("worker-slot-" + slot).start(this::takeJobs));
        }
    }

    @Override
    public synchronized void stop() {
        draining = true;
        running = false;
        stopping.countDown();
        consumers.stop();
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
        consumers.close();
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
        consumers.drain();
    }

    /** Takes jobs again after {@link #drain()}; a worker shutting down stays drained. */
    void resume() {
        if (running) {
            draining = false;
            consumers.resume();
        }
    }

    private void takeJobs() {
        while (running) {
            JobDelivery delivery;
            try {
                delivery = consumers.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (delivery == null) {
                return;
            }
            try {
                take(delivery);
            } finally {
                consumers.release();
            }
        }
    }

    private void take(JobDelivery delivery) {
        if (!delivery.held()) {
            // its channel closed: the broker put the message back, and it comes again on the new channel
            return;
        }
        JobClaims.Claim claim;
        try {
            claim = claims.claim(delivery);
        } catch (RuntimeException e) {
            LOG.warn("cannot claim a job of {}: {}", delivery.queue().name(), e.toString());
            delivery.requeue();
            claim = new JobClaims.Claim.NoAnswer();
        }
        switch (claim) {
            case JobClaims.Claim.Claimed claimed -> run(claimed);
            case JobClaims.Claim.Dropped dropped -> {}
            case JobClaims.Claim.NoAnswer noAnswer -> pause(NO_ANSWER_PAUSE);
        }
    }

    /** Runs the claimed attempt with its build, job, platform and attempt in the log context of every line. */
    private void run(JobClaims.Claim.Claimed claimed) {
        var job = claimed.job();
        try (var context = JobLogContext.ofJob(job.buildId(), job.jobId(), job.platform(), job.attempt())) {
            runClaimed(claimed);
        }
    }

    private void runClaimed(JobClaims.Claim.Claimed claimed) {
        var job = claimed.job();
        JobControl control = new JobControl(job.jobId(), job.attempt());
        JobLog log = new JobLog(
                job.jobId(),
                job.attempt(),
                publisher::logChunk,
                claimed.secrets().redaction());
        runningJobs.add(control, log);
        if (!running) {
            control.stop(JobOutcome.INFRA_FAILED, SHUTTING_DOWN);
        }
        JobFinished result = null;
        try {
            result = runner.run(job, claimed.mode(), control, log, claimed.credential(), claimed.secrets());
            if (result.phases() != null) {
                result = result.withPhases(
                        result.phases().withClaim(claimed.claim().toMillis()));
            }
        } finally {
            if (result != null) {
                // listed as finished before the result is sent: no heartbeat in between lists it nowhere
                runningJobs.finish(control, Instant.now());
            } else {
                runningJobs.remove(control);
            }
        }
        metrics.ended(job.platform(), claimed.mode(), result.outcome());
        LOG.info(
                "job {} attempt {} ended {}{}",
                job.jobId(),
                job.attempt(),
                result.outcome(),
                result.error() == null
                        ? " " + result.digest()
                        : ": " + result.error().lines().findFirst().orElse(""));
        publisher.finished(result);
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
