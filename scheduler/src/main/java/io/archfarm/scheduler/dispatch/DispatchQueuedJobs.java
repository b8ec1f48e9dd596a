package io.archfarm.scheduler.dispatch;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.broker.JobQueues;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.BuildJobsQueued;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.scheduler.jobs.PlatformJobStore.Dispatch;
import io.archfarm.scheduler.jobs.PlatformJobStore.DispatchScope;
import io.archfarm.scheduler.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places QUEUED platform jobs on the job queues, native first, and a job whose project and platform a worker built
 * lately first on that worker's own queue (see {@link Placer}).
 * <p>
 * An event dispatches only what it concerns: a new or retried build its own jobs, a worker that joined or changed its
 * platforms the jobs of those platforms. The sweep on the tick looks at every QUEUED job: it is the net under the
 * events, and it moves jobs whose waits ran out (native wait, affinity offer, unplaceable timeout).
 * <p>
 * No broker I/O happens in the dispatch's transaction: an assignment goes only to a queue already declared, and goes
 * out through the outbox. A job whose queue is not declared yet is left as it is; its queues are declared after the
 * commit and the job is dispatched again, once.
 */
@Component
public class DispatchQueuedJobs {

    private static final Logger log = LoggerFactory.getLogger(DispatchQueuedJobs.class);

    private final PlatformJobStore jobs;
    private final FleetReader fleet;
    private final BuildStore builds;
    private final JobQueues queues;
    private final Outbox outbox;
    private final SchedulerProperties properties;
    private final Placer placer;
    private final RecentWorkers recentWorkers;
    private final Clock clock;
    private final TransactionTemplate transactions;

    DispatchQueuedJobs(
            PlatformJobStore jobs,
            FleetReader fleet,
            BuildStore builds,
            JobQueues queues,
            Outbox outbox,
            SchedulerProperties properties,
            RecentWorkers recentWorkers,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.jobs = jobs;
        this.fleet = fleet;
        this.builds = builds;
        this.queues = queues;
        this.outbox = outbox;
        this.properties = properties;
        this.placer = new Placer(properties.nativeWait(), properties.unplaceableTimeout(), properties.affinityWait());
        this.recentWorkers = recentWorkers;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.tick:1s}")
    void tick() {
        sweep();
    }

    /** The sweep: every QUEUED job. Returns how many jobs it looked at. */
    public int sweep() {
        return dispatch(DispatchScope.ALL);
    }

    /** The QUEUED jobs of one build (just fanned out, or retried). Returns how many jobs it looked at. */
    public int dispatchBuild(UUID buildId) {
        return dispatch(DispatchScope.builds(List.of(buildId)));
    }

    /** Runs in the publisher's thread, after its transaction committed (see BuildMessagesListener). */
    @EventListener
    void onBuildJobsQueued(BuildJobsQueued queued) {
        dispatchBuild(queued.buildId());
    }

    /** The QUEUED jobs of these platforms (a worker that builds them joined). Returns how many jobs it looked at. */
    public int dispatchPlatforms(Collection<Platform> platforms) {
        return dispatch(DispatchScope.platforms(platforms));
    }

    private int dispatch(DispatchScope scope) {
        Round round = Objects.requireNonNull(transactions.execute(status -> placeAll(scope)));
        if (round.waitingForQueues().isEmpty()) {
            return round.looked();
        }
        declare(round);
        Round again = Objects.requireNonNull(
                transactions.execute(status -> placeAll(DispatchScope.builds(round.waitingForQueues()))));
        return round.looked() + again.looked();
    }

    /** Declares the queues a round lacked, with no transaction open: broker I/O never runs inside one. */
    private void declare(Round round) {
        for (Platform platform : round.platforms()) {
            try {
                queues.ensureDeclared(platform);
            } catch (AmqpException e) {
                log.warn(
                        "the job queues of {} cannot be declared, its jobs wait for the next sweep: {}",
                        platform,
                        e.getMessage());
            }
        }
        for (String worker : round.workers()) {
            try {
                queues.ensureWorkerQueueDeclared(worker);
            } catch (AmqpException e) {
                log.warn(
                        "the own job queue of worker {} cannot be declared, its offers wait for the next sweep: {}",
                        worker,
                        e.getMessage());
            }
        }
    }

    private Round placeAll(DispatchScope scope) {
        Instant now = clock.instant();
        List<PlatformJob> queued = jobs.lockQueued(scope, now);
        Round round = new Round(queued.size());
        if (queued.isEmpty()) {
            return round;
        }
        Fleet online = fleet.online();
        Map<UUID, Build> buildsById = new HashMap<>();
        for (PlatformJob job : queued) {
            place(job, placer.decide(job, online, recentWorkers(job), now), buildsById, now, round);
        }
        return round;
    }

    /** Asked only once per job: at its first placement, before any offer was made. */
    private List<String> recentWorkers(PlatformJob job) {
        boolean undecided = !job.dispatchedNative() && !job.dispatchedEmulated() && job.affinityDeadline() == null;
        return undecided && !properties.affinityWait().isZero() ? recentWorkers.of(job) : List.of();
    }

    /** Places the job with its ids in the log context of every line about it. */
    private void place(
            PlatformJob job, PlacementDecision decision, Map<UUID, Build> buildsById, Instant now, Round round) {
        try (var context =
                JobLogContext.ofJob(job.buildId(), job.id(), job.platform().toString(), Math.max(job.attempt(), 1))) {
            placeJob(job, decision, buildsById, now, round);
        }
    }

    private void placeJob(
            PlatformJob job, PlacementDecision decision, Map<UUID, Build> buildsById, Instant now, Round round) {
        if (decision.failure() != null) {
            ConcurrentChangeException.requireWon(
                    jobs.failUnplaceable(job, decision.failure(), decision.unplaceableSince(), now),
                    "failing unplaceable job " + job.id());
            log.info("job {} failed: {}", job.id(), decision.failure());
            return;
        }
        if (!decision.sendsAnything()
                && Objects.equals(decision.nativeDeadline(), job.nativeDeadline())
                && Objects.equals(decision.unplaceableSince(), job.unplaceableSince())) {
            return;
        }
        if (!queuesDeclared(job, decision, round)) {
            return;
        }
        int attempt = job.attempt();
        if (decision.sendsAnything()) {
            // attempt 0 means never dispatched; a requeue already counted its attempt up
            attempt = Math.max(attempt, 1);
            Build build = buildsById.computeIfAbsent(
                    job.buildId(), id -> builds.find(id).orElseThrow());
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
        PlacementDecision.Offer offer = decision.offer();
        ConcurrentChangeException.requireWon(
                jobs.dispatched(
                        job,
                        new Dispatch(
                                attempt,
                                decision.sendNative(),
                                decision.sendEmulated(),
                                decision.nativeDeadline(),
                                decision.unplaceableSince(),
                                offer == null ? null : offer.worker(),
                                offer == null ? null : offer.deadline())),
                "dispatch of job " + job.id());
    }

    /** Whether every queue the decision sends to is declared; if not, notes what the round has to declare. */
    private boolean queuesDeclared(PlatformJob job, PlacementDecision decision, Round round) {
        boolean ready = true;
        if ((decision.sendNative() || decision.sendEmulated()) && !queues.isDeclared(job.platform())) {
            round.platforms().add(job.platform());
            ready = false;
        }
        if (decision.offer() != null
                && queues.declaredWorkerQueue(decision.offer().worker()).isEmpty()) {
            round.workers().add(decision.offer().worker());
            ready = false;
        }
        if (!ready) {
            round.waitingForQueues().add(job.buildId());
        }
        return ready;
    }

    private void send(PlatformJob job, Build build, int attempt, ExecutionMode mode) {
        String queue = queues.declaredQueue(job.platform(), mode);
        outbox.jobAssignment(assignment(job, build, attempt), queue);
        log.info("job {} ({}) attempt {} dispatched to {}", job.id(), job.platform(), attempt, queue);
    }

    private void offer(PlatformJob job, Build build, int attempt, PlacementDecision.Offer offer) {
        String queue = queues.declaredWorkerQueue(offer.worker()).orElseThrow();
        outbox.jobAssignment(assignment(job, build, attempt).forWorker(offer.mode()), queue);
        log.info(
                "job {} ({}) attempt {} offered to its preferred worker {} ({}) until {}",
                job.id(),
                job.platform(),
                attempt,
                offer.worker(),
                offer.mode(),
                offer.deadline());
    }

    private JobAssignment assignment(PlatformJob job, Build build, int attempt) {
        return new JobAssignment(
                UUID.randomUUID(),
                job.id(),
                build.id(),
                attempt,
                job.platform().toString(),
                build.repository(),
                build.ref(),
                build.commit(),
                build.fetchSubmodules(),
                build.containerfile(),
                build.contextDir(),
                build.buildArgs(),
                build.image(),
                properties.jobTimeout().toSeconds(),
                build.cacheScope(),
                build.layerCache());
    }

    /** What one transaction of the dispatch did: how many jobs it looked at, and which queues it lacked. */
    private record Round(int looked, Set<Platform> platforms, Set<String> workers, Set<UUID> waitingForQueues) {
        Round(int looked) {
            this(looked, new HashSet<>(), new HashSet<>(), new HashSet<>());
        }
    }
}
