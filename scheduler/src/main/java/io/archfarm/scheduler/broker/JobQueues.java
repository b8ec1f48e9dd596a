package io.archfarm.scheduler.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Declares job queues (and their bindings to the jobs exchange): for the platforms of every worker that sends a
 * heartbeat, since workers may not declare them (their broker user is not allowed to) and wait until they exist;
 * and before the first JobAssignment goes to one, since a mandatory publish to a queue that does not exist would
 * come back. A worker's own job queue (cache affinity) is declared the same way, on its heartbeats and before an
 * offer goes to it.
 * <p>
 * Declaring is broker I/O, and none runs inside a database transaction: the declaring methods refuse to, so that a
 * slow or absent broker never holds a row lock or a connection of the pool. Inside a transaction, code asks
 * whether a queue is declared ({@link #isDeclared}, {@link #declaredWorkerQueue}), which this scheduler remembers.
 * <p>
 * What it declared is remembered per connection: when the scheduler connects again (to another node of a cluster,
 * after the one it was on died), everything is declared again on first use, so a worker's own queue lost with its
 * node comes back on the node the scheduler is on now.
 */
@Component
public class JobQueues {

    private static final Logger LOG = LoggerFactory.getLogger(JobQueues.class);

    /**
     * A worker's own queue goes away after this long unused (no poll, no declaration): a worker that left for good
     * leaves nothing behind. A live worker's heartbeats declare it again every {@link #WORKER_QUEUE_REFRESH}, so it
     * outlives builds of hours during which the worker does not poll.
     */
    public static final Duration WORKER_QUEUE_EXPIRY = Duration.ofMinutes(30);

    static final Duration WORKER_QUEUE_REFRESH = Duration.ofMinutes(1);

    private final AmqpAdmin admin;
    private final Topology topology;
    private final Clock clock;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> workerQueuesDeclared = new ConcurrentHashMap<>();

    JobQueues(AmqpAdmin admin, Topology topology, Clock clock, ConnectionFactory connectionFactory) {
        this.admin = admin;
        this.topology = topology;
        this.clock = clock;
        connectionFactory.addConnectionListener(connection -> forgetDeclarations());
    }

    private void forgetDeclarations() {
        declared.clear();
        workerQueuesDeclared.clear();
    }

    /**
     * Both job queues of the platform, native and emulated, exist once this returns: they are declared together, so
     * that a worker taking either finds it.
     */
    public void ensureDeclared(Platform platform) {
        refuseInsideTransaction("the job queues of " + platform);
        for (ExecutionMode each : ExecutionMode.values()) {
            String name = topology.jobQueue(platform, each);
            if (!declared.contains(name)) {
                Queue queue = BrokerConfiguration.quorum(name);
                admin.declareQueue(queue);
                admin.declareBinding(BindingBuilder.bind(queue)
                        .to(new DirectExchange(topology.jobsExchange(), true, false))
                        .with(name));
                declared.add(name);
            }
        }
    }

    /**
     * Returns the name of the worker's own job queue once it surely exists: declared by this scheduler within the
     * last {@link #WORKER_QUEUE_REFRESH}, far inside its expiry. Declaring again changes nothing and counts as use.
     * <p>
     * Unlike every other queue of the farm it is a classic queue, not a quorum queue: it only ever holds offers, and an
     * offer lost with a broker node costs its job the affinity wait, never the job (the job goes to the shared queues
     * when the wait is over). A quorum queue is a Raft group of its own on every node, and there is one of these per
     * worker. It is not durable either: in a cluster, a durable classic queue whose node is down cannot be used or
     * declared again until that node is back ({@code NOT_FOUND - home node ... is down}), while a transient one is
     * dropped with its node and declared anew on a live one. A queue of the name declared otherwise before (a quorum
     * queue of the first version of cache affinity, a durable one of the second) is deleted and declared again, with
     * any offer in it.
     */
    public String ensureWorkerQueueDeclared(String workerId) {
        refuseInsideTransaction("the own job queue of worker " + workerId);
        String name = topology.workerJobQueue(workerId);
        Instant now = clock.instant();
        Instant last = workerQueuesDeclared.get(workerId);
        if (last == null || !now.isBefore(last.plus(WORKER_QUEUE_REFRESH))) {
            Queue queue = QueueBuilder.nonDurable(name)
                    .classic()
                    .expires((int) WORKER_QUEUE_EXPIRY.toMillis())
                    .build();
            try {
                admin.declareQueue(queue);
            } catch (AmqpException e) {
                if (!preconditionFailed(e)) {
                    throw e;
                }
                LOG.info(
                        "the own job queue {} of worker {} was declared with other arguments before; declaring it "
                                + "again as a classic queue",
                        name,
                        workerId);
                admin.deleteQueue(name);
                admin.declareQueue(queue);
            }
            admin.declareBinding(BindingBuilder.bind(queue)
                    .to(new DirectExchange(topology.jobsExchange(), true, false))
                    .with(name));
            workerQueuesDeclared.put(workerId, now);
        }
        return name;
    }

    /** Whether both job queues of the platform were declared by this scheduler (no broker I/O). */
    public boolean isDeclared(Platform platform) {
        for (ExecutionMode each : ExecutionMode.values()) {
            if (!declared.contains(topology.jobQueue(platform, each))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The name of the platform's queue for {@code mode}, which this scheduler declared (no broker I/O).
     *
     * @throws IllegalStateException when it did not: ask {@link #isDeclared} first
     */
    public String declaredQueue(Platform platform, ExecutionMode mode) {
        String name = topology.jobQueue(platform, mode);
        if (!declared.contains(name)) {
            throw new IllegalStateException("job queue " + name + " was not declared by this scheduler");
        }
        return name;
    }

    /**
     * The worker's own job queue when this scheduler declared it within the last {@link #WORKER_QUEUE_REFRESH}, far
     * inside its expiry, so that it surely exists (no broker I/O); empty otherwise.
     */
    public Optional<String> declaredWorkerQueue(String workerId) {
        Instant last = workerQueuesDeclared.get(workerId);
        boolean fresh = last != null && clock.instant().isBefore(last.plus(WORKER_QUEUE_REFRESH));
        return fresh ? Optional.of(topology.workerJobQueue(workerId)) : Optional.empty();
    }

    private static void refuseInsideTransaction(String what) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("declaring " + what + " is broker I/O and may not run inside a database"
                    + " transaction: declare it before the transaction or after its commit");
        }
    }

    /** Whether the broker refused a declaration because the queue exists with other arguments (406). */
    static boolean preconditionFailed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal
                    && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == 406) {
                return true;
            }
        }
        return false;
    }
}
