package io.archfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class ManagementPortTest {

    @Test
    void noPortLeavesTheWorkerWithoutAServer() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.main.web-application-type", "none");
        new ManagementPort().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(environment.getProperty("server.port")).isNull();
    }

    @Test
    void aPortIsServedOnLoopbackUnlessAnAddressIsGiven() {
        MockEnvironment environment =
                new MockEnvironment().withProperty(ManagementPort.PORT, "9101").withProperty("server.port", "8080");
        new ManagementPort().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("servlet");
        assertThat(environment.getProperty("server.port")).isEqualTo("9101");
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");

        MockEnvironment open = new MockEnvironment()
                .withProperty(ManagementPort.PORT, "0")
                .withProperty(ManagementPort.ADDRESS, "0.0.0.0");
        new ManagementPort().postProcessEnvironment(open, new SpringApplication());
        assertThat(open.getProperty("server.port")).isEqualTo("0");
        assertThat(open.getProperty("server.address")).isEqualTo("0.0.0.0");
    }

    @Test
    void aPortThatIsNoneIsRefusedNamingTheSetting() {
        MockEnvironment environment = new MockEnvironment().withProperty(ManagementPort.PORT, "metrics");
        assertThatThrownBy(() -> new ManagementPort().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("archfarm.worker.management-port")
                .hasMessageContaining("'metrics'");
    }
}
