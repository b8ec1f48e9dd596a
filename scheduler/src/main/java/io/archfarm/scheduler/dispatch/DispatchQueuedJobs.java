package io.archfarm.scheduler.dispatch;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobStatus;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.broker.JobQueues;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.Builds;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobs;
import io.archfarm.scheduler.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places QUEUED platform jobs on the job queues, native first, and a job whose project and platform a worker built
 * lately first on that worker's own queue (see {@link Placer}).
 */
@Component
public class DispatchQueuedJobs {

    private static final Logger log = LoggerFactory.getLogger(DispatchQueuedJobs.class);

    private final JdbcClient jdbc;
    private final FleetReader fleet;
    private final Builds builds;
    private final JobQueues queues;
    private final Outbox outbox;
    private final SchedulerProperties properties;
    private final Placer placer;
    private final RecentWorkers recentWorkers;
    private final Clock clock;

    DispatchQueuedJobs(JdbcClient jdbc, FleetReader fleet, Builds builds, JobQueues queues, Outbox outbox,
            SchedulerProperties properties, RecentWorkers recentWorkers, Clock clock) {
        this.jdbc = jdbc;
        this.fleet = fleet;
        this.builds = builds;
        this.queues = queues;
        this.outbox = outbox;
        this.properties = properties;
        this.placer = new Placer(properties.nativeWait(), properties.unplaceableTimeout(),
                properties.affinityWait());
        this.recentWorkers = recentWorkers;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    @Transactional
    public void dispatch() {
        List<PlatformJob> queued = jdbc.sql("select " + PlatformJobs.COLUMNS + " from platform_jobs pj"
                        + " join builds b on b.id = pj.build_id"
                        + " where pj.status = 'QUEUED' and b.cancel_requested_at is null"
                        + " order by pj.queued_at for update of pj skip locked")
                .query(PlatformJobs::map).list();
        if (queued.isEmpty()) {
            return;
        }
        Fleet online = fleet.online();
        Instant now = clock.instant();
        Map<UUID, Build> buildsById = new HashMap<>();
        for (PlatformJob job : queued) {
            place(job, placer.decide(job, online, recentWorkers(job), now), buildsById, now);
        }
    }

    /** Asked only once per job: at its first placement, before any offer was made. */
    private List<String> recentWorkers(PlatformJob job) {
        boolean undecided = !job.dispatchedNative() && !job.dispatchedEmulated() && job.affinityDeadline() == null;
        return undecided && !properties.affinityWait().isZero() ? recentWorkers.of(job) : List.of();
    }

    private void place(PlatformJob job, PlacementDecision decision, Map<UUID, Build> buildsById, Instant now) {
        if (decision.failure() != null) {
            jdbc.sql("update platform_jobs set status = :status, error = :error, unplaceable_since = :since,"
                            + " finished_at = :now, version = version + 1 where id = :id")
                    .param("status", job.status().moveTo(JobStatus.FAILED).name())
                    .param("error", decision.failure()).param("since", Timestamps.of(decision.unplaceableSince()))
                    .param("now", Timestamps.of(now)).param("id", job.id()).update();
            log.info("job {} failed: {}", job.id(), decision.failure());
            return;
        }
        if (!decision.sendsAnything() && Objects.equals(decision.nativeDeadline(), job.nativeDeadline())
                && Objects.equals(decision.unplaceableSince(), job.unplaceableSince())) {
            return;
        }
        int attempt = job.attempt();
        if (decision.sendsAnything()) {
            // attempt 0 means never dispatched; a requeue already counted its attempt up
            attempt = Math.max(attempt, 1);
            Build build = buildsById.computeIfAbsent(job.buildId(), id -> builds.find(id).orElseThrow());
            if (decision.offer() != null) {
                offer(job, build, attempt, decision.offer());
            }
            if (decision.sendNative()) {
                send(job, build, attempt, ExecutionMode.NATIVE);
            }
            if (decision.sendEmulated()) {
                send(job, build, attempt, ExecutionMode.EMULATED);
            }
        }
        jdbc.sql("""
                update platform_jobs set attempt = :attempt,
                    dispatched_native = dispatched_native or :sendNative,
                    dispatched_emulated = dispatched_emulated or :sendEmulated,
                    native_deadline = :deadline, unplaceable_since = :since,
                    affinity_worker = coalesce(:affinityWorker, affinity_worker),
                    affinity_deadline = coalesce(:affinityDeadline, affinity_deadline), version = version + 1
                where id = :id""")
                .param("attempt", attempt).param("sendNative", decision.sendNative())
                .param("affinityWorker", decision.offer() == null ? null : decision.offer().worker())
                .param("affinityDeadline", Timestamps.of(decision.offer() == null ? null : decision.offer().deadline()))
                .param("sendEmulated", decision.sendEmulated())
                .param("deadline", Timestamps.of(decision.nativeDeadline()))
                .param("since", Timestamps.of(decision.unplaceableSince())).param("id", job.id()).update();
    }

    private void send(PlatformJob job, Build build, int attempt, ExecutionMode mode) {
        String queue = queues.ensureDeclared(job.platform(), mode);
        outbox.jobAssignment(assignment(job, build, attempt), queue);
        log.info("job {} ({}) attempt {} dispatched to {}", job.id(), job.platform(), attempt, queue);
    }

    private void offer(PlatformJob job, Build build, int attempt, PlacementDecision.Offer offer) {
        String queue = queues.ensureWorkerQueueDeclared(offer.worker());
        outbox.jobAssignment(assignment(job, build, attempt).forWorker(offer.mode()), queue);
        log.info("job {} ({}) attempt {} offered to its preferred worker {} ({}) until {}", job.id(), job.platform(),
                attempt, offer.worker(), offer.mode(), offer.deadline());
    }

    private JobAssignment assignment(PlatformJob job, Build build, int attempt) {
        return new JobAssignment(UUID.randomUUID(), job.id(), build.id(), attempt,
                job.platform().toString(), build.repository(), build.ref(), build.commit(), build.fetchSubmodules(),
                build.containerfile(), build.contextDir(), build.buildArgs(), build.image(),
                properties.jobTimeout().toSeconds(), build.cacheScope(), build.layerCache());
    }
}
