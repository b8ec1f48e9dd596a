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
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The one place integration tests get PostgreSQL and RabbitMQ from: {@code @Import(ArchfarmTestServices.class)}.
 * Which ones is decided by {@link TestServices#mode()}. Either way the context gets a fresh database and a fresh
 * broker prefix ({@code archfarm.topology.prefix}), so nothing an earlier run left behind reaches the test.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ArchfarmTestServices {

    @Bean
    @ServiceConnection
    @Conditional(ContainersMode.class)
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer("postgres:15-alpine");
    }

    @Bean
    @ServiceConnection
    @Conditional(ContainersMode.class)
    RabbitMQContainer rabbitContainer() {
        return new RabbitMQContainer("rabbitmq:3.13-management-alpine");
    }

    @Bean
    @Conditional(LocalMode.class)
    DynamicPropertyRegistrar localServices() {
        String databaseUrl = TestServices.freshLocalDatabase();
        TestServices.requireLocalRabbit();
        return registry -> {
            registry.add("spring.datasource.url", () -> databaseUrl);
            registry.add("spring.datasource.username", TestServices::localPostgresUser);
            registry.add("spring.datasource.password", TestServices::localPostgresPassword);
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
    public record TestPrefix(String value) {
    }

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
