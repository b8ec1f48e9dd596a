package io.archfarm.model.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ImageReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryRuleTest {

    private static final HostResolver DNS = Dns.answering(Map.of(
            "registry.example.com", List.of("140.82.121.3"),
            "registry.internal", List.of("10.0.0.7"),
            "localhost", List.of("127.0.0.1")));

    private static ImageReference image(String text) {
        return ImageReference.parse(text);
    }

    @Test
    void refusesAnInternalRegistryNamingTheImageTheHostAndTheSetting() {
        RegistryRule rule = RegistryRule.of(List.of(), List.of(), DNS);
        assertThat(rule.refusal(image("10.0.0.1:5000/team/app")))
                .contains(new HostRefusal(
                        false,
                        "image '10.0.0.1:5000/team/app' is refused: host 10.0.0.1 is a private address; an operator can "
                                + "allow it with archfarm.registry.allowed-hosts"));
        assertThat(rule.refusal(image("registry.internal/team/app")))
                .hasValueSatisfying(r -> assertThat(r.reason())
                        .contains("host 'registry.internal' resolves to 10.0.0.7, a private address"));
        assertThat(rule.refusal(image("[fd00::5]:5000/app")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("host fd00::5 is a private address"));
    }

    @Test
    void letsPublicRegistriesAndDockerHubThrough() {
        RegistryRule rule = RegistryRule.of(List.of(), List.of(), Dns.everythingPublic());
        assertThat(rule.refusal(image("registry.example.com/team/app"))).isEmpty();
        assertThat(rule.refusal(image("hello"))).isEmpty();
        assertThat(rule.refusal(image("140.82.121.3:443/x"))).isEmpty();
    }

    @Test
    void aNameThatDoesNotResolveIsReportedAsUnresolved() {
        assertThat(RegistryRule.of(List.of(), List.of(), DNS).refusal(image("nowhere.example/x")))
                .hasValueSatisfying(r -> assertThat(r.unresolved()).isTrue());
    }

    @Test
    void knowsTheFarmsOwnRegistriesExactlyWithTheirPort() {
        RegistryRule rule = RegistryRule.of(List.of("127.0.0.1:5000"), List.of(), DNS);
        assertThat(rule.refusal(image("127.0.0.1:5000/demo/hello"))).isEmpty();
        assertThat(rule.refusal(image("127.0.0.1:5432/demo/hello")))
                .as("another port of the same host")
                .isPresent();
        assertThat(rule.refusal(image("127.0.0.1/demo/hello"))).isPresent();
    }

    @Test
    void theAllowListTakesRegistriesWithPortsAndHostsAddressesAndBlocks() {
        RegistryRule rule =
                RegistryRule.of(List.of(), List.of("127.0.0.1:5000", "[::1]:5001", "localhost", "10.0.0.0/8"), DNS);
        assertThat(rule.refusal(image("127.0.0.1:5000/a"))).isEmpty();
        assertThat(rule.refusal(image("[::1]:5001/a"))).isEmpty();
        assertThat(rule.refusal(image("localhost:5000/a"))).isEmpty();
        assertThat(rule.refusal(image("registry.internal:443/a"))).isEmpty();
        assertThat(rule.refusal(image("10.9.8.7:5000/a"))).isEmpty();
        assertThat(rule.refusal(image("[::1]:5000/a"))).isPresent();
        assertThat(rule.refusal(image("169.254.169.254/a")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("a cloud metadata address"));
    }
}
