package io.archfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault tests kill their own broker: it dies at once and comes back with its durable queues and messages. */
class PrivateRabbitNodeIT {

    @Test
    void aKilledNodeComesBackWithItsDurableMessages() throws Exception {
        try (PrivateRabbitNode node = PrivateRabbitNode.start()) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(node.address());
            factory.setPort(node.amqpPort());
            // a get that reaches the queue before its leader is elected again waits for it: not forever
            factory.setChannelRpcTimeout(5_000);
            try (Connection connection = factory.newConnection();
                    Channel channel = connection.createChannel()) {
                // a classic queue: this tests the node's kill and restart; how quorum queues come back is the fault
                // suite's matter (their Raft member elects itself again after the restart)
                channel.queueDeclare("jobs", true, false, false, Map.of("x-queue-type", "classic"));
                channel.confirmSelect();
                channel.basicPublish(
                        "", "jobs", MessageProperties.PERSISTENT_BASIC, "job 1".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(10_000);
            }

            node.kill();

            assertThatThrownBy(() -> factory.newConnection().close()).isInstanceOf(IOException.class);

            node.restart();

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        Connection connection = factory.newConnection();
                        try (Channel channel = connection.createChannel()) {
                            // not acked: a try whose answer is lost leaves the message for the next one
                            GetResponse message = channel.basicGet("jobs", false);
                            assertThat(message).isNotNull();
                            assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
                                    .isEqualTo("job 1");
                        } finally {
                            connection.abort(2_000);
                        }
                    });
        }
    }
}
