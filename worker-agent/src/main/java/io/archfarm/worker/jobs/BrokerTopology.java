package io.archfarm.worker.jobs;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.worker.Capabilities;
import io.archfarm.worker.WorkerIdentity;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the worker declares: the three exchanges, the job queues it takes work from (native first, then emulated,
 * which is also the order it polls them in), and its own control queue on the cancellation fanout.
 */
@Configuration(proxyBeanMethods = false)
class BrokerTopology {

    @Bean
    JobQueues jobQueues(Topology topology, Capabilities capabilities) {
        List<JobQueues.JobQueue> queues = new ArrayList<>();
        for (Platform platform : capabilities.nativePlatforms()) {
            queues.add(new JobQueues.JobQueue(topology.jobQueue(platform, ExecutionMode.NATIVE), ExecutionMode.NATIVE));
        }
        for (Platform platform : capabilities.emulatedPlatforms()) {
            queues.add(new JobQueues.JobQueue(topology.jobQueue(platform, ExecutionMode.EMULATED),
                    ExecutionMode.EMULATED));
        }
        return new JobQueues(queues);
    }

    @Bean
    Queue controlQueue(Topology topology, WorkerIdentity identity) {
        // exclusive to this connection: it only carries cancellations of jobs this worker runs anyway
        return new Queue(topology.workerControlQueue(identity.id()), false, true, true);
    }

    @Bean
    Declarables workerDeclarables(Topology topology, JobQueues jobQueues, Queue controlQueue) {
        DirectExchange jobs = new DirectExchange(topology.jobsExchange(), true, false);
        DirectExchange events = new DirectExchange(topology.eventsExchange(), true, false);
        FanoutExchange control = new FanoutExchange(topology.controlExchange(), true, false);
        List<Declarable> declarables = new ArrayList<>(List.of(jobs, events, control, controlQueue,
                BindingBuilder.bind(controlQueue).to(control)));
        for (JobQueues.JobQueue jobQueue : jobQueues.inPollingOrder()) {
            Queue queue = QueueBuilder.durable(jobQueue.name()).quorum().build();
            Binding binding = BindingBuilder.bind(queue).to(jobs).with(jobQueue.name());
            declarables.add(queue);
            declarables.add(binding);
        }
        return new Declarables(declarables);
    }

    /**
     * The scheduler declares job queues too, possibly with more arguments (TTL, dead-lettering): a mismatch must
     * not stop this worker from polling the queue that already exists.
     */
    @Bean
    RabbitAdmin rabbitAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }
}
