package io.archfarm.worker.jobs;

import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.testing.SchedulerDeclarations;
import java.util.List;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;

/** The scheduler's side of a worker test on a broker of its own: it declares the topology as the scheduler does. */
final class StandInScheduler {

    private StandInScheduler() {}

    /** A template as the scheduler's user on {@code connection}, after declaring the topology for {@code platforms}. */
    static RabbitTemplate declaring(ConnectionFactory connection, Topology topology, List<Platform> platforms) {
        RabbitTemplate scheduler = new RabbitTemplate(connection);
        scheduler.setMessageConverter(new JacksonJsonMessageConverter("io.archfarm.model.messages"));
        scheduler.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, platforms);
            return null;
        });
        return scheduler;
    }
}
