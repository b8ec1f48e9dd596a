package io.archfarm.scheduler.broker;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.stereotype.Component;

/**
 * Declares a job queue (and its binding to the jobs exchange) before the first JobAssignment goes to it: workers
 * may not have declared it yet, and a mandatory publish to a queue that does not exist would come back. The
 * arguments must equal the workers' declaration (only {@code x-queue-type=quorum}), or the broker refuses one of
 * the two.
 */
@Component
public class JobQueues {

    private final AmqpAdmin admin;
    private final Topology topology;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    JobQueues(AmqpAdmin admin, Topology topology) {
        this.admin = admin;
        this.topology = topology;
    }

    /**
     * Returns the name of the platform's queue for {@code mode} once it surely exists. Both queues of the platform
     * are declared together, so that a worker polling either finds it.
     */
    public String ensureDeclared(Platform platform, ExecutionMode mode) {
        for (ExecutionMode each : ExecutionMode.values()) {
            String name = topology.jobQueue(platform, each);
            if (!declared.contains(name)) {
                Queue queue = BrokerConfiguration.quorum(name);
                admin.declareQueue(queue);
                admin.declareBinding(BindingBuilder.bind(queue)
                        .to(new DirectExchange(topology.jobsExchange(), true, false)).with(name));
                declared.add(name);
            }
        }
        return topology.jobQueue(platform, mode);
    }
}
