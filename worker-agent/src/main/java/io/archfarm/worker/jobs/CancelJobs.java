package io.archfarm.worker.jobs;

import io.archfarm.model.messages.CancelJob;
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

/** Listens on this worker's control queue and stops the attempts the scheduler cancels. Others are not ours. */
@Configuration(proxyBeanMethods = false)
class CancelJobs {

    private static final Logger LOG = LoggerFactory.getLogger(CancelJobs.class);

    @Bean
    SimpleMessageListenerContainer cancelJobsListener(ConnectionFactory connectionFactory, Queue controlQueue,
            MessageConverter converter, RunningJobs runningJobs) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(controlQueue);
        container.setDefaultRequeueRejected(false);
        container.setMessageListener((MessageListener) message -> cancel(message, converter, runningJobs));
        return container;
    }

    private static void cancel(Message message, MessageConverter converter, RunningJobs runningJobs) {
        Object body;
        try {
            body = converter.fromMessage(message);
        } catch (RuntimeException e) {
            LOG.error("dropping an unreadable control message: {}", e.toString());
            return;
        }
        if (body instanceof CancelJob cancel && runningJobs.cancel(cancel.jobId(), cancel.attempt(), cancel.reason())) {
            LOG.info("cancelled job {} attempt {}: {}", cancel.jobId(), cancel.attempt(), cancel.reason());
        } else if (!(body instanceof CancelJob)) {
            LOG.warn("ignoring a control message that is not a CancelJob: {}", body);
        }
    }
}
