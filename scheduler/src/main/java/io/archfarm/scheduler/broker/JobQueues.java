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
 * Declares job queues (and their bindings to the jobs exchange): for the platforms of every worker that sends a
 * heartbeat, since workers may not declare them (their broker user is not allowed to) and wait until they exist;
 * and before the first JobAssignment goes to one, since a mandatory publish to a queue that does not exist would
 * come back.
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
        ensureDeclared(platform);
        return topology.jobQueue(platform, mode);
    }

    /** Both job queues of the platform, native and emulated, exist once this returns. */
    public void ensureDeclared(Platform platform) {
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
    }
}
