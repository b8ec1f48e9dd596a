package io.archfarm.e2e;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.testing.TestServices;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the durable queues and exchanges a farm declared under its test prefix, so that test runs do not pile up
 * quorum queues in the local broker. Only names of this prefix are touched.
 */
final class BrokerCleanup {

    private BrokerCleanup() {
    }

    static void deleteAll(String prefix) {
        Topology topology = new Topology(prefix);
        List<String> queues = new ArrayList<>(List.of(topology.buildRequestsQueue(), topology.buildCancelsQueue(),
                topology.claimsQueue(), topology.jobLogsQueue(), topology.jobResultsQueue(),
                topology.heartbeatsQueue()));
        for (Platform platform : Platform.KNOWN) {
            for (ExecutionMode mode : ExecutionMode.values()) {
                queues.add(topology.jobQueue(platform, mode));
            }
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.localAmqpHost());
        factory.setPort(TestServices.localAmqpPort());
        factory.setUsername(TestServices.localAmqpUser());
        factory.setPassword(TestServices.localAmqpPassword());
        try (Connection connection = factory.newConnection("archfarm-e2e-cleanup");
                Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : List.of(topology.jobsExchange(), topology.eventsExchange(),
                    topology.controlExchange())) {
                channel.exchangeDelete(exchange);
            }
        } catch (Exception e) {
            // housekeeping only: the prefix is unique, leftovers cannot disturb another run
            System.err.println("[archfarm e2e] could not delete the broker names of prefix " + prefix + ": " + e);
        }
    }
}
