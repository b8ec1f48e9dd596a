package io.archfarm.scheduler.broker;

import io.archfarm.model.Topology;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scheduler's whole broker topology: the four exchanges, the queues it consumes (durable quorum queues) and
 * their bindings, the JSON converter, and how its listeners acknowledge. The scheduler owns the farm's topology:
 * workers declare nothing but their own control queues, and wait until what they use exists.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    /** The container factory of the heartbeats' batch listener. */
    public static final String HEARTBEAT_LISTENER_CONTAINER_FACTORY = "heartbeatListenerContainerFactory";
    /**
     * Heartbeats a batch holds at most: a third of a second of a 1,000-worker fleet's at the default interval, and a
     * batch is handed over as soon as the queue has nothing more for {@link #HEARTBEAT_BATCH_WAIT_MS}.
     */
    static final int HEARTBEAT_BATCH = 100;

    static final long HEARTBEAT_BATCH_WAIT_MS = 20;
    static final String MESSAGES_PACKAGE = "io.archfarm.model.messages";

    @Bean
    JacksonJsonMessageConverter messageConverter(JsonMapper json) {
        return new JacksonJsonMessageConverter(json, MESSAGES_PACKAGE);
    }

    /**
     * AUTO acknowledgement, on purpose: every listener does its work in a transaction that commits before the
     * listener returns, and the container acks only after the return, so a crash before the commit redelivers. A
     * listener that throws gets its message requeued (a conversion error is rejected without requeue).
     */
    @Bean
    SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer,
            ConnectionFactory connectionFactory,
            JacksonJsonMessageConverter converter) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setMessageConverter(converter);
        factory.setAcknowledgeMode(AcknowledgeMode.AUTO);
        factory.setDefaultRequeueRejected(true);
        factory.setErrorHandler(new ConditionalRejectingErrorHandler(new RejectInvalidMessages()));
        return factory;
    }

    /**
     * The same, for a listener that takes a batch of raw messages: heartbeats, where one transaction a batch costs
     * PostgreSQL and the scheduler a fraction of one a heartbeat. The batch is acknowledged after the listener
     * returns, as one; the listener reads each message itself, so one unreadable message is not the batch's fault.
     */
    @Bean(HEARTBEAT_LISTENER_CONTAINER_FACTORY)
    SimpleRabbitListenerContainerFactory heartbeatListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer,
            ConnectionFactory connectionFactory,
            JacksonJsonMessageConverter converter) {
        SimpleRabbitListenerContainerFactory factory =
                rabbitListenerContainerFactory(configurer, connectionFactory, converter);
        factory.setBatchListener(true);
        factory.setConsumerBatchEnabled(true);
        factory.setBatchSize(HEARTBEAT_BATCH);
        factory.setPrefetchCount(2 * HEARTBEAT_BATCH);
        factory.setReceiveTimeout(HEARTBEAT_BATCH_WAIT_MS);
        return factory;
    }

    /**
     * A message that breaks a rule (no messageId, no worker, an illegal status change) would fail the same way on
     * every redelivery: it is rejected without requeue and logged. Database and broker errors stay retryable.
     */
    static class RejectInvalidMessages extends ConditionalRejectingErrorHandler.DefaultExceptionStrategy {

        @Override
        protected boolean isUserCauseFatal(@Nullable Throwable cause) {
            return cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
        }
    }

    @Bean
    Declarables schedulerTopology(Topology topology) {
        DirectExchange events = new DirectExchange(topology.eventsExchange(), true, false);
        DirectExchange workerEvents = new DirectExchange(topology.workerEventsExchange(), true, false);
        DirectExchange jobs = new DirectExchange(topology.jobsExchange(), true, false);
        FanoutExchange control = new FanoutExchange(topology.controlExchange(), true, false);
        Queue buildRequests = quorum(topology.buildRequestsQueue());
        Queue buildCancels = quorum(topology.buildCancelsQueue());
        Queue buildRetries = quorum(topology.buildRetriesQueue());
        Queue claims = quorum(topology.claimsQueue());
        Queue jobLogs = quorum(topology.jobLogsQueue());
        Queue jobResults = quorum(topology.jobResultsQueue());
        Queue heartbeats = quorum(topology.heartbeatsQueue());
        return new Declarables(
                events,
                workerEvents,
                jobs,
                control,
                buildRequests,
                buildCancels,
                buildRetries,
                claims,
                jobLogs,
                jobResults,
                heartbeats,
                bind(buildRequests, events, Topology.BUILD_REQUESTED),
                bind(buildCancels, events, Topology.BUILD_CANCEL_REQUESTED),
                bind(buildRetries, events, Topology.BUILD_RETRY_REQUESTED),
                bind(claims, workerEvents, Topology.JOB_CLAIM),
                bind(jobLogs, workerEvents, Topology.JOB_LOG),
                bind(jobResults, workerEvents, Topology.JOB_FINISHED),
                bind(heartbeats, workerEvents, Topology.WORKER_HEARTBEAT));
    }

    static Queue quorum(String name) {
        return QueueBuilder.durable(name).quorum().build();
    }

    private static Binding bind(Queue queue, DirectExchange exchange, String routingKey) {
        return BindingBuilder.bind(queue).to(exchange).with(routingKey);
    }
}
