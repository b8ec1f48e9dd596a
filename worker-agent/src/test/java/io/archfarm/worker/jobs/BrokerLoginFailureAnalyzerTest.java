package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AuthenticationFailureException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class BrokerLoginFailureAnalyzerTest {

    private static final AmqpAuthenticationException REFUSED = new AmqpAuthenticationException(
            new AuthenticationFailureException("ACCESS_REFUSED - Login was refused using authentication mechanism "
                    + "PLAIN. For details see the broker logfile."));

    @Test
    void namesTheUserAndVirtualHostOfAnAmqpUriButNeverItsPassword() {
        FailureAnalysis analysis = analyze(
                new MockEnvironment()
                        .withProperty(
                                "spring.rabbitmq.addresses",
                                "amqps://farm-worker:s3cret@broker.example.org:5671/archfarm,amqps://other:x@b2:5671/archfarm"));

        assertThat(analysis.getDescription())
                .isEqualTo("The broker at broker.example.org:5671 refused the login of "
                        + "user 'farm-worker' on virtual host 'archfarm' (ACCESS_REFUSED - Login was refused using "
                        + "authentication mechanism PLAIN. For details see the broker logfile). This worker does not join "
                        + "the farm.");
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret");
        assertThat(analysis.getAction()).contains("spring.rabbitmq.password", "SPRING_RABBITMQ_ADDRESSES");
    }

    @Test
    void withoutAddressesNamesHostPortUserAndVirtualHostFromTheirOwnProperties() {
        FailureAnalysis analysis = analyze(new MockEnvironment()
                .withProperty("spring.rabbitmq.host", "10.0.0.5")
                .withProperty("spring.rabbitmq.port", "5672")
                .withProperty("spring.rabbitmq.username", "worker")
                .withProperty("spring.rabbitmq.password", "s3cret")
                .withProperty("spring.rabbitmq.virtual-host", "farm"));

        assertThat(analysis.getDescription())
                .startsWith("The broker at 10.0.0.5:5672 refused the login of user 'worker' on virtual host 'farm' (")
                .doesNotContain("s3cret");
    }

    private static FailureAnalysis analyze(MockEnvironment environment) {
        return new BrokerLoginFailureAnalyzer(environment).analyze(new IllegalStateException("start", REFUSED));
    }
}
