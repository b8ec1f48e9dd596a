package io.archfarm.testing;

import com.rabbitmq.client.ConnectionFactory;
import io.archfarm.model.BrokerPermissions;
import io.archfarm.model.Topology;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The farm's own virtual host and its two users, as {@code ./archfarm up} makes them, on a broker reached through
 * {@link Rabbitmqctl}: {@link #scheduler()} with every right on the virtual host, {@link #worker()} with only what a
 * worker does ({@link BrokerPermissions#worker}). Names are unique per run; {@link #close()} deletes all three.
 */
public final class FarmBroker implements AutoCloseable {

    /** A broker user and its password. */
    public record Login(String username, String password) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Rabbitmqctl rabbitmqctl;
    private final String virtualHost;
    private final Login scheduler;
    private final Login worker;

    private FarmBroker(Rabbitmqctl rabbitmqctl, String virtualHost, Login scheduler, Login worker) {
        this.rabbitmqctl = rabbitmqctl;
        this.virtualHost = virtualHost;
        this.scheduler = scheduler;
        this.worker = worker;
    }

    /** On the machine's own broker (the local test services). */
    public static FarmBroker onLocalBroker(Topology topology) {
        return create(Rabbitmqctl.localBroker(), topology);
    }

    public static FarmBroker create(Rabbitmqctl rabbitmqctl, Topology topology) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        FarmBroker broker = new FarmBroker(
                rabbitmqctl,
                "archfarm-test-" + run,
                new Login("archfarm-test-scheduler-" + run, password()),
                new Login("archfarm-test-worker-" + run, password()));
        try {
            rabbitmqctl.run("add_vhost", broker.virtualHost);
            broker.addUser(broker.scheduler, BrokerPermissions.controlPlane());
            broker.addUser(broker.worker, BrokerPermissions.worker(topology));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String virtualHost() {
        return virtualHost;
    }

    public Login scheduler() {
        return scheduler;
    }

    public Login worker() {
        return worker;
    }

    /** A client connection factory for {@code login} on this virtual host; host, port and TLS are the caller's. */
    public ConnectionFactory connectionFactory(Login login, String host, int port) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setVirtualHost(virtualHost);
        factory.setUsername(login.username());
        factory.setPassword(login.password());
        factory.setConnectionTimeout(5000);
        return factory;
    }

    private void addUser(Login login, BrokerPermissions permissions) {
        rabbitmqctl.runWithInput(login.password(), "add_user", login.username());
        rabbitmqctl.run(
                "set_permissions",
                "-p",
                virtualHost,
                login.username(),
                permissions.configure(),
                permissions.write(),
                permissions.read());
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Deletes the virtual host (with every queue in it) and both users; what is already gone is left alone. */
    @Override
    public void close() {
        for (String[] command : new String[][] {
            {"delete_vhost", virtualHost}, {"delete_user", scheduler.username()}, {"delete_user", worker.username()}
        }) {
            try {
                rabbitmqctl.run(command);
            } catch (RuntimeException e) {
                System.err.println("[archfarm tests] " + e.getMessage());
            }
        }
    }
}
