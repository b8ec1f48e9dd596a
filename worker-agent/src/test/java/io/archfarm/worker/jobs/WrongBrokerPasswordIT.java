package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.Topology;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.FarmBroker;
import io.archfarm.testing.TestServices;
import io.archfarm.worker.WorkerApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A worker started with a wrong broker password against the test broker (local or a container, as the other tests
 * get theirs): it does not start, and its log says which broker refused which user, never the password.
 */
@SpringBootTest(classes = WrongBrokerPasswordIT.BrokerOnly.class)
@Import(ArchfarmTestBroker.class)
@ExtendWith(OutputCaptureExtension.class)
class WrongBrokerPasswordIT {

    private static final String WRONG_PASSWORD = "not-the-password-4711";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BrokerOnly {}

    @Autowired
    RabbitConnectionDetails broker;

    @TempDir
    Path workDir;

    @Test
    void doesNotJoinAndSaysWhichBrokerRefusedWhichUser(CapturedOutput output) {
        RabbitConnectionDetails.Address address = broker.getFirstAddress();
        // as command-line arguments, which win over the worker's application.yml as an operator's settings do
        String[] settings = {
            "--spring.rabbitmq.host=" + address.host(),
            "--spring.rabbitmq.port=" + address.port(),
            "--spring.rabbitmq.username=" + broker.getUsername(),
            "--spring.rabbitmq.password=" + WRONG_PASSWORD,
            "--archfarm.worker.id=wrong-password-it",
            "--archfarm.worker.work-dir=" + workDir,
            "--archfarm.worker.native-platforms=linux/amd64",
            "--archfarm.worker.emulated-platforms=none",
            "--archfarm.topology.prefix=wrong-password-it"
        };

        assertThatThrownBy(() -> new SpringApplicationBuilder(WorkerApplication.class)
                        .run(settings)
                        .close())
                .hasRootCauseMessage(
                        "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker "
                                + "logfile.");

        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("The broker at " + address.host() + ":" + address.port() + " refused the login of user '"
                        + broker.getUsername() + "' on virtual host '/'")
                .contains("This worker does not join the farm.")
                .doesNotContain(WRONG_PASSWORD);
    }

    /**
     * The same with the farm's own worker user on a virtual host of its own, as ./archfarm up makes them; on the
     * machine's broker whatever the test services are, since only there can rabbitmqctl make users.
     */
    @Test
    void theFarmsWorkerUserWithAWrongPasswordDoesNotJoinEither(CapturedOutput output) {
        try (FarmBroker farm = FarmBroker.onLocalBroker(new Topology(TestServices.freshPrefix()))) {
            String[] settings = {
                "--spring.rabbitmq.host=" + TestServices.localAmqpHost(),
                "--spring.rabbitmq.port=" + TestServices.localAmqpPort(),
                "--spring.rabbitmq.virtual-host=" + farm.virtualHost(),
                "--spring.rabbitmq.username=" + farm.worker().username(),
                "--spring.rabbitmq.password=" + WRONG_PASSWORD,
                "--archfarm.worker.id=wrong-password-it",
                "--archfarm.worker.work-dir=" + workDir,
                "--archfarm.worker.native-platforms=linux/amd64",
                "--archfarm.worker.emulated-platforms=none",
                "--archfarm.topology.prefix=wrong-password-it"
            };

            assertThatThrownBy(() -> new SpringApplicationBuilder(WorkerApplication.class)
                            .run(settings)
                            .close())
                    .hasRootCauseMessage("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. "
                            + "For details see the broker logfile.");

            assertThat(output.getAll())
                    .contains("refused the login of user '" + farm.worker().username() + "' on virtual host '"
                            + farm.virtualHost() + "'")
                    .doesNotContain(WRONG_PASSWORD)
                    .doesNotContain(farm.worker().password());
        }
    }
}
