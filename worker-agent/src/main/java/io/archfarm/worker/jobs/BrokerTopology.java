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
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the worker declares: only its own control queue, bound to the control fanout. Everything else (exchanges, job
 * queues, the scheduler's queues) is the scheduler's, and a worker's broker user may not declare it;
 * {@link SchedulerTopology} waits until it exists. The job queues it takes work from are listed its own first (cache
 * affinity: a job waits there only a few seconds for this worker), then native, then emulated, which is also the
 * order its consumers start in.
 */
@Configuration(proxyBeanMethods = false)
class BrokerTopology {

    @Bean
    JobQueues jobQueues(Topology topology, Capabilities capabilities, WorkerIdentity identity) {
        List<JobQueues.JobQueue> queues = new ArrayList<>();
        queues.add(new JobQueues.JobQueue(topology.workerJobQueue(identity.id()), null));
        for (Platform platform : capabilities.nativePlatforms()) {
            queues.add(new JobQueues.JobQueue(topology.jobQueue(platform, ExecutionMode.NATIVE), ExecutionMode.NATIVE));
        }
        for (Platform platform : capabilities.emulatedPlatforms()) {
            queues.add(new JobQueues.JobQueue(
                    topology.jobQueue(platform, ExecutionMode.EMULATED), ExecutionMode.EMULATED));
        }
        return new JobQueues(queues);
    }

    @Bean
    Queue controlQueue(Topology topology, WorkerIdentity identity) {
        // exclusive to this connection: it only carries cancellations of jobs this worker runs anyway
        return new Queue(topology.workerControlQueue(identity.id()), false, true, true);
    }

    @Bean
    Binding controlBinding(Topology topology, Queue controlQueue) {
        return BindingBuilder.bind(controlQueue).to(new FanoutExchange(topology.controlExchange(), true, false));
    }

    /**
     * The control fanout may not exist yet when the worker connects (the scheduler has not started): the binding
     * fails then, and {@link SchedulerTopology} binds again once the exchange is there. That failure must not stop
     * the worker from connecting.
     */
    @Bean
    RabbitAdmin rabbitAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }
}
