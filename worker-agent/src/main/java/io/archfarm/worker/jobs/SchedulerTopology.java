package io.archfarm.worker.jobs;

import io.archfarm.model.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * What the scheduler declares and this worker needs, checked passively: the worker events exchange it publishes to,
 * the control fanout its control queue is bound to, and the job queues it consumes. The scheduler declares the job
 * queues of a platform when a heartbeat first names it, so a new worker sends heartbeats as soon as the exchanges
 * exist and consumes each job queue once it exists. Until then it says, now and then, what it waits for.
 */
@Component
class SchedulerTopology {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerTopology.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final RabbitTemplate template;
    private final RabbitAdmin admin;
    private final Topology topology;
    private final JobQueues jobQueues;
    private final Binding controlBinding;
    private final Set<String> found = new HashSet<>();
    private Instant nextCheck = Instant.MIN;
    private Instant nextLog = Instant.MIN;
    private List<JobQueues.JobQueue> existing = List.of();
    private boolean exchangesFound;

    SchedulerTopology(
            RabbitTemplate template,
            RabbitAdmin admin,
            Topology topology,
            JobQueues jobQueues,
            Binding controlBinding) {
        this.template = template;
        this.admin = admin;
        this.topology = topology;
        this.jobQueues = jobQueues;
        this.controlBinding = controlBinding;
    }

    /** Whether the exchanges this worker publishes to and listens on exist: it may send heartbeats. */
    synchronized boolean exchangesReady() {
        check();
        return exchangesFound;
    }

    /** The job queues that exist, in the order of preference. */
    synchronized List<JobQueues.JobQueue> existingJobQueues() {
        check();
        return existing;
    }

    /**
     * A queue that was there and is gone (its consumer was cancelled or refused): look for it again. Only a worker's own queue goes
     * away by itself, after it expired while this worker was cut off for long.
     */
    synchronized void lost(JobQueues.JobQueue queue) {
        if (found.remove(queue.name())) {
            existing = existing.stream().filter(each -> !each.equals(queue)).toList();
            LOG.warn(
                    "job queue {} is gone; this worker consumes it again once the scheduler declared it", queue.name());
        }
    }

    private void check() {
        Instant now = Instant.now();
        if (found.size() == jobQueues.inPreferenceOrder().size() + 2 || now.isBefore(nextCheck)) {
            return;
        }
        nextCheck = now.plus(CHECK_INTERVAL);
        List<String> missing = new ArrayList<>();
        for (String exchange : List.of(topology.workerEventsExchange(), topology.controlExchange())) {
            if (!found.contains(exchange) && !exchangeExists(exchange)) {
                missing.add("exchange " + exchange);
            }
        }
        if (!exchangesFound && missing.isEmpty()) {
            exchangesFound = true;
            // the binding made at connect failed if the fanout was missing then; binding again changes nothing
            admin.declareBinding(controlBinding);
        }
        List<JobQueues.JobQueue> queues = new ArrayList<>();
        for (JobQueues.JobQueue queue : jobQueues.inPreferenceOrder()) {
            if (found.contains(queue.name()) || queueExists(queue.name())) {
                queues.add(queue);
            } else {
                missing.add("queue " + queue.name());
            }
        }
        existing = List.copyOf(queues);
        if (!missing.isEmpty() && !now.isBefore(nextLog)) {
            nextLog = now.plus(LOG_INTERVAL);
            LOG.warn(
                    "waiting for the scheduler to declare {} (prefix '{}'): the scheduler owns the farm's exchanges "
                            + "and queues, and declares a platform's job queues when a heartbeat first names it. Until then "
                            + "this worker {}.",
                    String.join(", ", missing),
                    topology.prefix(),
                    exchangesFound ? "takes no job from them" : "sends no heartbeat and takes no job");
        } else if (missing.isEmpty()) {
            LOG.info("the scheduler's exchanges and this worker's {} job queues exist", existing.size());
        }
    }

    private boolean exchangeExists(String name) {
        try {
            template.execute(channel -> channel.exchangeDeclarePassive(name));
        } catch (AmqpException e) {
            return false;
        }
        found.add(name);
        return true;
    }

    private boolean queueExists(String name) {
        if (admin.getQueueInfo(name) == null) {
            return false;
        }
        found.add(name);
        return true;
    }
}
