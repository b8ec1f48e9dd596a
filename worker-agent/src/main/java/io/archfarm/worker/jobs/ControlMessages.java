package io.archfarm.worker.jobs;

import io.archfarm.model.messages.CancelJob;
import io.archfarm.model.messages.DrainWorker;
import io.archfarm.model.messages.JobsWaiting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Listens on this worker's control queue: stops the attempts the scheduler cancels (others are not ours) and obeys
 * the drain and resume orders that name this worker. The scheduler's doorbell ({@link JobsWaiting}) is dropped
 * unread: the broker pushes jobs to the worker's consumers, so there is no idle slot to wake. A message of a type
 * this worker does not know (from a newer scheduler) is logged and dropped, never retried.
 */
@Configuration(proxyBeanMethods = false)
class ControlMessages {

    private static final Logger LOG = LoggerFactory.getLogger(ControlMessages.class);

    @Bean
    SimpleMessageListenerContainer controlMessagesListener(
            ConnectionFactory connectionFactory,
            Queue controlQueue,
            MessageConverter converter,
            RunningJobs runningJobs,
            DrainOrders drainOrders) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(controlQueue);
        container.setDefaultRequeueRejected(false);
        container.setMessageListener((MessageListener) message -> handle(message, converter, runningJobs, drainOrders));
        return container;
    }

    private static void handle(
            Message message, MessageConverter converter, RunningJobs runningJobs, DrainOrders drainOrders) {
        Object body;
        try {
            body = converter.fromMessage(message);
        } catch (RuntimeException e) {
            LOG.error("dropping an unreadable control message: {}", e.toString());
            return;
        }
        switch (body) {
            case CancelJob cancel -> {
                if (runningJobs.cancel(cancel.jobId(), cancel.attempt(), cancel.reason())) {
                    LOG.info("cancelled job {} attempt {}: {}", cancel.jobId(), cancel.attempt(), cancel.reason());
                }
            }
            case DrainWorker order -> drainOrders.obey(order);
            case JobsWaiting doorbell ->
                LOG.trace("doorbell {} ignored: jobs are pushed to this worker", doorbell.messageId());
            default ->
                LOG.warn("ignoring a control message that is not a CancelJob, DrainWorker or JobsWaiting: {}", body);
        }
    }
}
