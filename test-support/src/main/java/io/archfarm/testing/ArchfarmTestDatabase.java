package io.archfarm.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL alone, for a test that needs no broker: {@code @Import(ArchfarmTestDatabase.class)}. Which server is
 * decided by {@link TestServices#mode()}; either way the context gets a fresh, empty database.
 * {@link ArchfarmTestServices} is this and {@link ArchfarmTestBroker} together.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ArchfarmTestDatabase {

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
