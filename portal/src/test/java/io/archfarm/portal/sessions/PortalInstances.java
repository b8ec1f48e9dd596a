package io.archfarm.portal.sessions;

import com.zaxxer.hikari.HikariDataSource;
import io.archfarm.portal.PortalApplication;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * More portals on the database of a running test context, as another host behind the load balancer or a restart
 * would start them: the real application, on a random port of loopback, with the tests' configuration
 * ({@code config/application.yml}) and the same PostgreSQL database. {@link #close()} stops those still running.
 */
final class PortalInstances implements AutoCloseable {

    private final String url;
    private final String username;
    private final String password;
    private final List<String> properties;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    /** Portals on {@code database} (the test context's pool), each started with these extra {@code properties}. */
    PortalInstances(DataSource database, String... properties) {
        if (!(database instanceof HikariDataSource pool)) {
            throw new IllegalArgumentException("expected the test context's Hikari pool, got " + database);
        }
        this.url = pool.getJdbcUrl();
        this.username = pool.getUsername();
        this.password = pool.getPassword();
        this.properties = List.of(properties);
    }

    /** Starts a portal and returns it once it listens. */
    Portal start() {
        List<String> all = new ArrayList<>(properties);
        all.addAll(List.of(
                "server.port=0",
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + username,
                "spring.datasource.password=" + (password == null ? "" : password)));
        // as command-line arguments, which win over application.yml (its server.port among them)
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PortalApplication.class)
                .run(all.stream().map(property -> "--" + property).toArray(String[]::new));
        running.add(context);
        return new Portal(context);
    }

    @Override
    public void close() {
        running.forEach(ConfigurableApplicationContext::close);
        running.clear();
    }

    /** One running portal. */
    static final class Portal {

        private final ConfigurableApplicationContext context;
        private final int port;

        private Portal(ConfigurableApplicationContext context) {
            this.context = context;
            this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        }

        int port() {
            return port;
        }

        /** Stops it as a restart or a lost host would: every bean destroyed, the port closed. */
        void stop() {
            context.close();
        }
    }
}
