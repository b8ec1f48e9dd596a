package io.archfarm.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Every exchange, queue and routing key of the farm, derived from one prefix. Services read the prefix from
 * configuration ({@code archfarm.topology.prefix}, default {@code archfarm}); tests use a fresh prefix per run so
 * that nothing an earlier run left in the broker reaches them.
 * <p>
 * All queues are durable quorum queues. Jobs travel on the direct exchange {@link #jobsExchange()} with the queue
 * name as routing key; what workers send (claims, log chunks, results, heartbeats) travels on
 * {@link #workerEventsExchange()}, the only exchange a worker may publish to; the control plane's messages (build
 * requests, cancellations, retries) travel on {@link #eventsExchange()}; cancellations and drain/resume orders are
 * broadcast to every worker on the fanout {@link #controlExchange()}. The scheduler declares all of it; a worker
 * declares only its own control queue.
 */
public record Topology(String prefix) {

    public static final String DEFAULT_PREFIX = "archfarm";

    public static final String BUILD_REQUESTED = "build.requested";
    public static final String BUILD_CANCEL_REQUESTED = "build.cancel-requested";
    public static final String BUILD_RETRY_REQUESTED = "build.retry-requested";
    public static final String JOB_CLAIM = "job.claim";
    public static final String JOB_LOG = "job.log";
    public static final String JOB_FINISHED = "job.finished";
    public static final String WORKER_HEARTBEAT = "worker.heartbeat";

    public Topology {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("topology prefix '" + prefix + "' must match [a-z0-9][a-z0-9._-]*");
        }
    }

    public static Topology defaults() {
        return new Topology(DEFAULT_PREFIX);
    }

    /** Direct exchange: one queue per platform and execution mode, routing key = queue name. */
    public String jobsExchange() {
        return prefix + ".jobs";
    }

    /** Direct exchange for what the portal asks of the scheduler: build requests, cancellations and retries. */
    public String eventsExchange() {
        return prefix + ".events";
    }

    /** Direct exchange for what workers send the scheduler: claims, log chunks, results and heartbeats. */
    public String workerEventsExchange() {
        return prefix + ".worker-events";
    }

    /** Fanout exchange every worker binds a queue of its own to: job cancellations, drain and resume. */
    public String controlExchange() {
        return prefix + ".control";
    }

    /** The queue where jobs of {@code platform} wait for a worker that runs it in {@code mode}. */
    public String jobQueue(Platform platform, ExecutionMode mode) {
        return prefix + ".jobs." + platform.key() + "." + mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The job queue of one worker: jobs the scheduler offers it first because it built the same project and platform
     * recently (cache affinity). It matches the worker user's read rule on {@code <p>.jobs.*} like the shared job
     * queues; the scheduler declares it with an expiry, so the queue of a worker that is gone goes away by itself.
     */
    public String workerJobQueue(String workerId) {
        return prefix + ".jobs.worker." + workerId;
    }

    public String buildRequestsQueue() {
        return prefix + ".scheduler.build-requests";
    }

    public String buildCancelsQueue() {
        return prefix + ".scheduler.build-cancels";
    }

    public String buildRetriesQueue() {
        return prefix + ".scheduler.build-retries";
    }

    public String claimsQueue() {
        return prefix + ".scheduler.claims";
    }

    public String jobLogsQueue() {
        return prefix + ".scheduler.job-logs";
    }

    public String jobResultsQueue() {
        return prefix + ".scheduler.job-results";
    }

    public String heartbeatsQueue() {
        return prefix + ".scheduler.heartbeats";
    }

    /** The control queue of one worker; it lives as long as the worker's connection. */
    public String workerControlQueue(String workerId) {
        return prefix + ".worker." + workerId + ".control";
    }
}
