package io.archfarm.scheduler;

import io.archfarm.testing.ArchfarmTestServices;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The scheduler's one agreed test context: the whole scheduler with PostgreSQL and RabbitMQ from
 * {@link ArchfarmTestServices}, the test {@link Farm} (workers and the portal's side of the broker), and short ticks
 * (a tick of 200 ms, the outbox relayed every 100 ms, a heartbeat timeout of 60 s that no test reaches by accident).
 * Every test with this annotation and nothing else that changes the context shares one Spring context. A test whose
 * subject is a timeout or an interval declares its own {@code @SpringBootTest}, and pays for a context of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=60s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
public @interface SchedulerIntegrationTest {}
