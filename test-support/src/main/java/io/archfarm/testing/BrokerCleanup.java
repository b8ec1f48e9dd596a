package io.archfarm.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every queue and exchange of one test run's prefix from the local broker, when a test context closes
 * ({@link ArchfarmTestServices}) or the e2e farm stops. Each quorum queue is a Raft group of its own; left behind run
 * after run they pile up into the hundreds and slow RabbitMQ down to the point of not answering. Only names of the
 * given prefix are touched.
 */
public final class BrokerCleanup {

    private BrokerCleanup() {}

    public static List<String> queuesOf(Topology topology) {
        List<String> queues = new ArrayList<>(List.of(
                topology.buildRequestsQueue(),
                topology.buildCancelsQueue(),
                topology.buildRetriesQueue(),
                topology.claimsQueue(),
                topology.jobLogsQueue(),
                topology.jobResultsQueue(),
                topology.heartbeatsQueue()));
        for (Platform platform : Platform.KNOWN) {
            for (ExecutionMode mode : ExecutionMode.values()) {
                queues.add(topology.jobQueue(platform, mode));
            }
        }
        return queues;
    }

    /** Best effort: the prefix is unique, so leftovers cannot disturb another run, they only cost the broker. */
    public static void deleteAll(String prefix) {
        Topology topology = new Topology(prefix);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.localAmqpHost());
        factory.setPort(TestServices.localAmqpPort());
        factory.setUsername(TestServices.localAmqpUser());
        factory.setPassword(TestServices.localAmqpPassword());
        try (Connection connection = factory.newConnection("archfarm-test-cleanup")) {
            for (String queue : queuesOf(topology)) {
                delete(connection, channel -> channel.queueDelete(queue));
            }
            for (String exchange : List.of(
                    topology.jobsExchange(),
                    topology.eventsExchange(),
                    topology.workerEventsExchange(),
                    topology.controlExchange())) {
                delete(connection, channel -> channel.exchangeDelete(exchange));
            }
        } catch (Exception e) {
            System.err.println("[archfarm tests] could not clean broker prefix " + prefix + ": " + e);
        }
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    private static void delete(Connection connection, ChannelAction action) throws Exception {
        // a failed delete closes its channel, so every delete gets a channel of its own
        try (Channel channel = connection.createChannel()) {
            action.run(channel);
        } catch (IOException ignoredMissing) {
            // the queue or exchange was never declared in this run
        }
    }
}
