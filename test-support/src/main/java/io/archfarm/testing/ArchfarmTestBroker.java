package io.archfarm.testing;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * RabbitMQ alone, for a test of a part that never touches a database (the worker):
 * {@code @Import(ArchfarmTestBroker.class)}. Which broker is decided by {@link TestServices#mode()}; either way the
 * context gets a fresh broker prefix ({@code archfarm.topology.prefix}), and in local mode its names are deleted when
 * the context closes. {@link ArchfarmTestServices} adds PostgreSQL to it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ArchfarmTestBroker {

    @Bean
    @ServiceConnection
    @Conditional(ContainersMode.class)
    RabbitMQContainer rabbitContainer() {
        return new RabbitMQContainer("rabbitmq:3.13-management-alpine");
    }

    @Bean
    @Conditional(LocalMode.class)
    DynamicPropertyRegistrar localBroker() {
        TestServices.requireLocalRabbit();
        return registry -> {
            registry.add("spring.rabbitmq.host", TestServices::localAmqpHost);
            registry.add("spring.rabbitmq.port", TestServices::localAmqpPort);
            registry.add("spring.rabbitmq.username", TestServices::localAmqpUser);
            registry.add("spring.rabbitmq.password", TestServices::localAmqpPassword);
        };
    }

    @Bean
    TestPrefix archfarmTestPrefix() {
        return new TestPrefix(TestServices.freshPrefix());
    }

    @Bean
    DynamicPropertyRegistrar freshTopologyPrefix(TestPrefix prefix) {
        return registry -> registry.add("archfarm.topology.prefix", prefix::value);
    }

    @Bean
    @Conditional(LocalMode.class)
    DisposableBean brokerCleanup(TestPrefix prefix) {
        return () -> BrokerCleanup.deleteAll(prefix.value());
    }

    /** The broker prefix of one test context. */
    public record TestPrefix(String value) {}

    static class ContainersMode implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return TestServices.mode() == TestServices.Mode.CONTAINERS;
        }
    }

    static class LocalMode implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return TestServices.mode() == TestServices.Mode.LOCAL;
        }
    }
}
