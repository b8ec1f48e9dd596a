package io.archfarm.testing;

import com.rabbitmq.client.ConnectionFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;

/**
 * Which PostgreSQL and RabbitMQ the integration tests talk to. This is an explicit switch, set with the environment
 * variable (or system property) {@value #SETTING}:
 * <ul>
 *   <li>{@code containers}: Testcontainers starts both, wired in with {@code @ServiceConnection}. Needs a Docker
 *   engine; without one the run fails, it does not fall back.</li>
 *   <li>{@code local}: the PostgreSQL and RabbitMQ already running on this machine (see {@link #localPostgresUrl()}
 *   and {@link #localAmqpHost()}). Each run gets a database and a broker prefix of its own. A service that is not
 *   there fails the run with a message that says which and where; nothing is skipped.</li>
 *   <li>{@code auto} or unset: {@code containers} when a Docker engine answers, else {@code local}. The choice is
 *   printed once per test JVM.</li>
 * </ul>
 */
public final class TestServices {

    public static final String SETTING = "ARCHFARM_TEST_SERVICES";

    public enum Mode {
        LOCAL,
        CONTAINERS
    }

    private static final int RABBIT_PROBES = 5;
    private static final Duration LEFTOVER_QUEUE_EXPIRY = Duration.ofHours(3);
    private static boolean leftoverPolicySet;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static Mode mode;

    private TestServices() {}

    /** The pure decision, apart from the environment, so that it can be tested. */
    static Mode resolve(String setting, BooleanSupplier dockerAvailable) {
        String value = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "auto" -> dockerAvailable.getAsBoolean() ? Mode.CONTAINERS : Mode.LOCAL;
            case "local" -> Mode.LOCAL;
            case "containers", "testcontainers" -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException(SETTING + "=" + setting
                            + " asks for Testcontainers, but no Docker engine answers. Start one, or set "
                            + SETTING + "=local to use the PostgreSQL and RabbitMQ on this machine.");
                }
                yield Mode.CONTAINERS;
            }
            default ->
                throw new IllegalArgumentException(
                        SETTING + "='" + setting + "' is not one of: local, containers, auto");
        };
    }

    public static synchronized Mode mode() {
        if (mode == null) {
            String setting = setting(SETTING, "archfarm.test.services", "auto");
            mode = resolve(setting, TestServices::dockerAvailable);
            System.err.printf(
                    "[archfarm tests] %s=%s -> %s%n",
                    SETTING,
                    setting,
                    mode == Mode.LOCAL
                            ? "LOCAL services: PostgreSQL " + localPostgresUrl() + ", RabbitMQ " + localAmqpHost() + ":"
                                    + localAmqpPort()
                            : "CONTAINERS (Testcontainers with @ServiceConnection)");
        }
        return mode;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** JDBC URL of the local server's maintenance database; each run creates its own database next to it. */
    public static String localPostgresUrl() {
        return setting("ARCHFARM_TEST_PG_URL", "archfarm.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    public static String localPostgresUser() {
        return setting("ARCHFARM_TEST_PG_USER", "archfarm.test.pg.user", "postgres");
    }

    public static String localPostgresPassword() {
        return setting("ARCHFARM_TEST_PG_PASSWORD", "archfarm.test.pg.password", "");
    }

    public static String localAmqpHost() {
        return setting("ARCHFARM_TEST_AMQP_HOST", "archfarm.test.amqp.host", "127.0.0.1");
    }

    public static int localAmqpPort() {
        return Integer.parseInt(setting("ARCHFARM_TEST_AMQP_PORT", "archfarm.test.amqp.port", "5672"));
    }

    public static String localAmqpUser() {
        return setting("ARCHFARM_TEST_AMQP_USER", "archfarm.test.amqp.user", "guest");
    }

    public static String localAmqpPassword() {
        return setting("ARCHFARM_TEST_AMQP_PASSWORD", "archfarm.test.amqp.password", "guest");
    }

    /** A broker prefix no earlier run used: every exchange and queue of this test run lives under it. */
    public static String freshPrefix() {
        return "archfarm-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates an empty database on the local server and returns its JDBC URL. Databases of earlier runs that are
     * more than a day old are dropped on the way, so that the server does not fill up.
     */
    public static String freshLocalDatabase() {
        String name = "archfarm_test_" + LocalDateTime.now().format(STAMP) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin =
                DriverManager.getConnection(localPostgresUrl(), localPostgresUser(), localPostgresPassword())) {
            dropStaleDatabases(admin);
            admin.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + localPostgresUrl() + " (" + SETTING + "=local) " + "is not usable: "
                            + e.getMessage() + ". Start it (./archfarm up does) or use containers.",
                    e);
        }
        return localPostgresUrl().substring(0, localPostgresUrl().lastIndexOf('/') + 1) + name;
    }

    private static void dropStaleDatabases(Connection admin) throws SQLException {
        String cutoff = "archfarm_test_" + LocalDateTime.now().minusDays(1).format(STAMP);
        List<String> stale = new ArrayList<>();
        try (var rs = admin.createStatement()
                .executeQuery("select datname from pg_database where datname like 'archfarm\\_test\\_%'")) {
            while (rs.next()) {
                if (rs.getString(1).compareTo(cutoff) < 0) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String db : stale) {
            try {
                admin.createStatement().execute("drop database if exists " + db + " with (force)");
            } catch (SQLException ignored) {
                // another run may be dropping it at the same moment; it is only housekeeping
            }
        }
    }

    /** Fails loudly when the local broker does not accept a connection. */
    public static void requireLocalRabbit() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(localAmqpHost());
        factory.setPort(localAmqpPort());
        factory.setUsername(localAmqpUser());
        factory.setPassword(localAmqpPassword());
        factory.setConnectionTimeout(5000);
        // a broker busy with other test runs' queues can miss one connection timeout on a small machine: it counts as
        // not usable only when it also misses the next ones, about half a minute in all
        Exception last = null;
        for (int attempt = 1; attempt <= RABBIT_PROBES; attempt++) {
            try (var ignored = factory.newConnection("archfarm-test-probe")) {
                expireLeftoverQueues();
                return;
            } catch (Exception e) {
                last = e;
                pause(Duration.ofSeconds(2));
            }
        }
        throw new IllegalStateException(
                "RabbitMQ at " + localAmqpHost() + ":" + localAmqpPort() + " (" + SETTING
                        + "=local) is not usable: " + last + " (" + RABBIT_PROBES
                        + " tries). Start it (./archfarm up does) or"
                        + " use containers.",
                last);
    }

    /**
     * Once per test JVM: a policy on the local broker under which a queue of any test prefix that nobody has used for
     * {@link #LEFTOVER_QUEUE_EXPIRY} is deleted by the broker. A run that is killed (a cancelled build, a crashed
     * JVM) never reaches {@link BrokerCleanup}; its durable queues would otherwise stay for good, and a few hundred
     * of them hold every file handle of a broker started with the usual 1,024 (it then takes connections and never
     * answers them). The expiry is far longer than any run, during which a context's queues are in use or declared
     * again. Best effort, as the stale databases are: without rabbitmqctl the tests run all the same.
     */
    private static synchronized void expireLeftoverQueues() {
        if (leftoverPolicySet) {
            return;
        }
        leftoverPolicySet = true;
        try {
            Rabbitmqctl.localBroker()
                    .run(
                            "set_policy",
                            "--apply-to",
                            "queues",
                            "--priority",
                            "-1",
                            "archfarm-test-leftovers",
                            "^archfarm-test-",
                            "{\"expires\":" + LEFTOVER_QUEUE_EXPIRY.toMillis() + "}");
        } catch (RuntimeException e) {
            System.err.println("[archfarm tests] leftover test queues will not expire on their own: " + e.getMessage());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for RabbitMQ", e);
        }
    }

    private static String setting(String env, String property, String fallback) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null) {
            return fromProperty;
        }
        String fromEnv = System.getenv(env);
        return fromEnv != null ? fromEnv : fallback;
    }
}
