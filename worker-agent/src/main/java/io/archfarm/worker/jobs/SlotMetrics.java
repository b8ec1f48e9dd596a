package io.archfarm.worker.jobs;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.worker.Capabilities;
import io.archfarm.worker.WorkerIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The worker's own figures: its slots (all, and those running an attempt now: {@code archfarm_worker_slots},
 * {@code archfarm_worker_slots_busy}) and the attempts it ended, by platform, mode and outcome
 * ({@code archfarm_worker_jobs_total}). Tagged with the worker's id, so a dashboard of several workers tells them
 * apart by name rather than by address.
 */
@Component
class SlotMetrics {

    private final MeterRegistry registry;
    private final String worker;

    SlotMetrics(MeterRegistry registry, RunningJobs running, Capabilities capabilities, WorkerIdentity identity) {
        this.registry = registry;
        this.worker = identity.id();
        Gauge.builder("archfarm.worker.slots", capabilities, Capabilities::slots)
                .tag("worker", worker)
                .description("jobs this worker runs at once")
                .register(registry);
        Gauge.builder("archfarm.worker.slots.busy", running, RunningJobs::count)
                .tag("worker", worker)
                .description("attempts this worker runs now")
                .register(registry);
    }

    void ended(String platform, ExecutionMode mode, JobOutcome outcome) {
        Counter.builder("archfarm.worker.jobs")
                .description("attempts this worker ended")
                .tags("worker", worker, "platform", platform, "mode", mode.name(), "outcome", outcome.name())
                .register(registry)
                .increment();
    }
}
