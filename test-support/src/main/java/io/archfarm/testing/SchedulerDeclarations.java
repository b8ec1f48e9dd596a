package io.archfarm.testing;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * What the scheduler declares (its {@code BrokerConfiguration} and {@code JobQueues}), for tests that stand in for
 * the scheduler: workers declare only their control queues and wait for the rest. The arguments are the
 * scheduler's, so that both declarations agree.
 */
public final class SchedulerDeclarations {

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private SchedulerDeclarations() {}

    /** The exchanges, the scheduler's queues and their bindings, and both job queues of every platform given. */
    public static void declare(Channel channel, Topology topology, Collection<Platform> platforms) throws IOException {
        channel.exchangeDeclare(topology.eventsExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(topology.workerEventsExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(topology.jobsExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(topology.controlExchange(), BuiltinExchangeType.FANOUT, true);
        bind(channel, topology.buildRequestsQueue(), topology.eventsExchange(), Topology.BUILD_REQUESTED);
        bind(channel, topology.buildCancelsQueue(), topology.eventsExchange(), Topology.BUILD_CANCEL_REQUESTED);
        bind(channel, topology.buildRetriesQueue(), topology.eventsExchange(), Topology.BUILD_RETRY_REQUESTED);
        bind(channel, topology.claimsQueue(), topology.workerEventsExchange(), Topology.JOB_CLAIM);
        bind(channel, topology.jobLogsQueue(), topology.workerEventsExchange(), Topology.JOB_LOG);
        bind(channel, topology.jobResultsQueue(), topology.workerEventsExchange(), Topology.JOB_FINISHED);
        bind(channel, topology.heartbeatsQueue(), topology.workerEventsExchange(), Topology.WORKER_HEARTBEAT);
        for (Platform platform : platforms) {
            for (ExecutionMode mode : ExecutionMode.values()) {
                String queue = topology.jobQueue(platform, mode);
                bind(channel, queue, topology.jobsExchange(), queue);
            }
        }
    }

    private static void bind(Channel channel, String queue, String exchange, String routingKey) throws IOException {
        channel.queueDeclare(queue, true, false, false, QUORUM);
        channel.queueBind(queue, exchange, routingKey);
    }
}
