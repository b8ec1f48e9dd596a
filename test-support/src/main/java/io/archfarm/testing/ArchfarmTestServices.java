package io.archfarm.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one place integration tests get PostgreSQL and RabbitMQ from: {@code @Import(ArchfarmTestServices.class)}.
 * Which ones is decided by {@link TestServices#mode()}. Either way the context gets a fresh database and a fresh
 * broker prefix ({@code archfarm.topology.prefix}, from {@link ArchfarmTestBroker}), so nothing an earlier run left
 * behind reaches the test.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(ArchfarmTestBroker.class)
public class ArchfarmTestServices {

    @Bean
    @ServiceConnection
    @Conditional(ArchfarmTestBroker.ContainersMode.class)
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer("postgres:15-alpine");
    }

    @Bean
    @Conditional(ArchfarmTestBroker.LocalMode.class)
    DynamicPropertyRegistrar localDatabase() {
        String databaseUrl = TestServices.freshLocalDatabase();
        return registry -> {
            registry.add("spring.datasource.url", () -> databaseUrl);
            registry.add("spring.datasource.username", TestServices::localPostgresUser);
            registry.add("spring.datasource.password", TestServices::localPostgresPassword);
        };
    }
}
