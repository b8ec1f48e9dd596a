package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EgressRulesTest {

    private static RunIsolation isolation(
            EgressPolicy egress, String resolver, List<String> allow, List<String> allowPrivate, List<String> deny) {
        return new RunIsolation(
                IsolationLevel.NETNS,
                egress,
                resolver,
                allow,
                allowPrivate,
                deny,
                "10.231.0.0/16",
                "runc",
                Path.of("/run/archfarm/sandboxes"));
    }

    private static final SandboxAddresses SANDBOX = new SandboxAddresses(5, Ipv4Network.parse("10.231.0.0/16"));

    @Test
    void eachSandboxNumberHasItsOwnNamesAndA30() {
        assertThat(SANDBOX.namespace()).isEqualTo("archfarm-sb5");
        assertThat(SANDBOX.table()).isEqualTo("archfarm_sb5");
        assertThat(SANDBOX.hostInterface()).isEqualTo("afsb5h");
        assertThat(SANDBOX.hostAddress()).isEqualTo("10.231.0.21");
        assertThat(SANDBOX.jobAddress()).isEqualTo("10.231.0.22");
        assertThat(new SandboxAddresses(16383, Ipv4Network.parse("10.231.0.0/16")).jobAddress())
                .isEqualTo("10.231.255.254");
        assertThat(new SandboxAddresses(16383, Ipv4Network.parse("10.231.0.0/16")).hostInterface())
                .hasSizeLessThan(16);
    }

    @Test
    void outsideDropsTheHostAndEveryInternalClassButWhatTheOperatorAllows() {
        String table = EgressRules.table(
                SANDBOX,
                isolation(
                        EgressPolicy.OUTSIDE,
                        "203.0.113.53",
                        List.of(),
                        List.of("10.20.0.0/16"),
                        List.of("198.51.100.7")),
                List.of());

        assertThat(table)
                .contains("table inet archfarm_sb5 {")
                .contains("iifname \"afsb5h\" drop")
                .contains("iifname \"afsb5h\" jump egress")
                .contains("ip saddr 10.231.0.22 oifname != \"afsb5h\" masquerade")
                .contains("meta nfproto ipv6 drop");
        assertThat(table.indexOf("ip daddr 203.0.113.53 udp dport 53 accept"))
                .as("the resolver before the internal classes")
                .isLessThan(table.indexOf("ip daddr { 0.0.0.0/8"));
        assertThat(table.indexOf("ip daddr { 198.51.100.7/32 } drop"))
                .as("deny before anything allowed")
                .isLessThan(table.indexOf("ip daddr { 10.20.0.0/16 } accept"));
        assertThat(table.indexOf("ip daddr { 10.20.0.0/16 } accept")).isLessThan(table.indexOf("ip daddr { 0.0.0.0/8"));
        assertThat(table)
                .contains(
                        "10.0.0.0/8",
                        "100.64.0.0/10",
                        "127.0.0.0/8",
                        "169.254.0.0/16",
                        "172.16.0.0/12",
                        "192.168.0.0/16");
        assertThat(table.indexOf("ip daddr 10.231.0.0/16 drop"))
                .as("no sandbox reaches another")
                .isLessThan(table.indexOf("ip daddr { 10.20.0.0/16 } accept"));
    }

    @Test
    void anAllowListAcceptsOnlyItsEntriesAndDropsTheRest() {
        String table = EgressRules.table(
                SANDBOX,
                isolation(
                        EgressPolicy.ALLOW_LIST,
                        null,
                        List.of("203.0.113.0/24", "mirror.example:443"),
                        List.of(),
                        List.of()),
                List.of("203.0.113.0/24", "198.51.100.9 443"));

        assertThat(table)
                .contains("ip daddr 203.0.113.0/24 accept")
                .contains("ip daddr 198.51.100.9 tcp dport 443 accept")
                .contains("ip daddr 198.51.100.9 udp dport 443 accept")
                .doesNotContain("dport 53")
                .contains("    drop\n  }");
    }

    @Test
    void settingsAreCheckedWithoutAnyLookUp() {
        assertThatThrownBy(() -> isolation(EgressPolicy.OUTSIDE, "dns.example", List.of(), List.of(), List.of()))
                .hasMessageContaining("not an IPv4 network");
        assertThatThrownBy(() -> isolation(EgressPolicy.OUTSIDE, null, List.of(), List.of("fc00::/7"), List.of()))
                .hasMessageContaining("IPv6 egress is not offered");
        assertThatThrownBy(() ->
                        isolation(EgressPolicy.ALLOW_LIST, null, List.of("a.example:99999"), List.of(), List.of()))
                .hasMessageContaining("port");
        assertThat(AllowedDestination.parse("mirror.example:443").isNetwork()).isFalse();
        assertThat(AllowedDestination.parse("203.0.113.7:443").isNetwork()).isTrue();
        assertThat(Ipv4Network.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    }

    @Test
    void theSandboxTakesThePlaceOfChrootInTheBuildCommand() {
        BuildCommands commands = new BuildCommands(Path.of("/s/root"), Path.of("/s/run"));
        List<String> build = commands.build(
                Platform.parse("linux/amd64"),
                Path.of("/c/Containerfile"),
                Map.of(),
                LayerCache.USE,
                Path.of("/j/iid"),
                Path.of("/c"),
                new BuildCommands.RegistryAccess(Optional.empty(), Optional.empty()));
        NetworkSandbox sandbox = NetworkSandbox.netns(
                SANDBOX, isolation(EgressPolicy.NONE, null, List.of(), List.of(), List.of()), () -> {});

        List<String> wrapped = sandbox.wrap(build);

        assertThat(wrapped)
                .containsSubsequence(
                        "build",
                        "--isolation",
                        "oci",
                        "--runtime",
                        "runc",
                        "--network",
                        "ns:/run/netns/archfarm-sb5",
                        "--dns",
                        "none",
                        "--platform")
                .doesNotContain("chroot");
        assertThat(NetworkSandbox.host().wrap(build)).isEqualTo(build);
    }
}
