package io.archfarm.scheduler.outbox;

import io.archfarm.model.Topology;
import io.archfarm.scheduler.SchedulerProperties;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/** Sends one outbox row, mandatory, and waits for the broker's confirm; anything but a clean ack throws. */
@Component
class ConfirmedPublisher {

    private final RabbitTemplate rabbit;
    private final SchedulerProperties properties;
    private final Topology topology;

    ConfirmedPublisher(RabbitTemplate rabbit, SchedulerProperties properties, Topology topology) {
        this.rabbit = rabbit;
        this.properties = properties;
        this.topology = topology;
        // without mandatory an unroutable message is acked and silently dropped
        rabbit.setMandatory(true);
    }

    void publish(OutboxRow row) throws PublishFailedException {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding(StandardCharsets.UTF_8.name());
        props.setHeader("__TypeId__", row.messageType());
        props.setMessageId(row.id().toString());
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        Message message = new Message(row.payload().getBytes(StandardCharsets.UTF_8), props);
        CorrelationData correlation = new CorrelationData(row.id().toString());
        try {
            rabbit.send(row.exchange(), row.routingKey(), message, correlation);
            CorrelationData.Confirm confirm =
                    correlation.getFuture().get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ReturnedMessage returned = correlation.getReturned();
            // a broadcast that no worker's control queue receives reached everyone there is: it is delivered
            boolean broadcast = row.exchange().equals(topology.controlExchange());
            if (returned != null && !broadcast) {
                throw new PublishFailedException("returned by the broker: " + returned.getReplyCode() + " "
                        + returned.getReplyText() + " (exchange '" + row.exchange() + "', routing key '"
                        + row.routingKey() + "')");
            }
            if (!confirm.ack()) {
                throw new PublishFailedException("nacked by the broker: " + confirm.reason());
            }
        } catch (TimeoutException e) {
            throw new PublishFailedException("no publisher confirm within " + properties.confirmTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the publisher confirm", e);
        } catch (ExecutionException | AmqpException e) {
            throw new PublishFailedException("publish failed: " + e.getMessage(), e);
        }
    }
}
