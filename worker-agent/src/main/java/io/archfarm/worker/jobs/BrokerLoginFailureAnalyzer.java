package io.archfarm.worker.jobs;

import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

/**
 * A worker whose broker login is refused does not join the farm: it exits, and says in one paragraph which broker
 * refused which user on which virtual host, instead of a stack trace that ends in ACCESS_REFUSED. The password is
 * never part of it.
 */
class BrokerLoginFailureAnalyzer extends AbstractFailureAnalyzer<AmqpAuthenticationException> {

    private final Environment environment;

    BrokerLoginFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AmqpAuthenticationException cause) {
        Login login = login();
        String refusal = String.valueOf(
                        NestedExceptionUtils.getMostSpecificCause(cause).getMessage())
                .replaceFirst("\\.$", "");
        return new FailureAnalysis(
                "The broker at " + login.hostPort() + " refused the login of user '" + login.user()
                        + "' on virtual host '" + login.virtualHost() + "' (" + refusal + "). This worker does not "
                        + "join the farm.",
                "Give the worker the broker user and password its operator made for workers: "
                        + "spring.rabbitmq.username and spring.rabbitmq.password, or "
                        + "amqp://user:password@host:port/vhost in SPRING_RABBITMQ_ADDRESSES; and check that the user "
                        + "may use that virtual host (rabbitmqctl list_user_permissions <user>).",
                cause);
    }

    private record Login(String hostPort, String user, String virtualHost) {}

    /** The first of {@code spring.rabbitmq.addresses} (its user and vhost win), else host, port and username. */
    private Login login() {
        String user = environment.getProperty("spring.rabbitmq.username", "guest");
        String virtualHost = environment.getProperty("spring.rabbitmq.virtual-host", "/");
        String addresses = environment.getProperty("spring.rabbitmq.addresses", "");
        String first = addresses.split(",")[0].trim();
        if (first.isEmpty()) {
            return new Login(
                    environment.getProperty("spring.rabbitmq.host", "localhost") + ":"
                            + environment.getProperty("spring.rabbitmq.port", "5672"),
                    user,
                    virtualHost);
        }
        if (!first.contains("://")) {
            return new Login(first, user, virtualHost);
        }
        try {
            URI uri = new URI(first);
            String userInfo = uri.getRawUserInfo();
            String path = uri.getPath();
            return new Login(
                    uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()),
                    userInfo == null ? user : userInfo.split(":", 2)[0],
                    path == null || path.length() <= 1 ? virtualHost : path.substring(1));
        } catch (URISyntaxException e) {
            return new Login("(an address that is not a URI)", user, virtualHost);
        }
    }
}
