package io.archfarm.model.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The host rule itself, without URLs around it: literals in every spelling, resolved names, the allow-list. */
class HostRuleTest {

    private static final String SETTING = "archfarm.git.allowed-hosts";
    private static final String HINT = "; an operator can allow it with " + SETTING;
    private static final HostResolver DNS = Dns.answering(Map.of(
            "github.com", List.of("140.82.121.3"),
            "git.internal", List.of("10.0.0.5"),
            "localhost", List.of("127.0.0.1", "::1"),
            "mixed.example", List.of("140.82.121.4", "192.168.0.10"),
            "pool.internal", List.of("10.20.0.1", "10.20.0.2"),
            "spread.internal", List.of("10.20.0.1", "10.30.0.1")));

    private final HostRule strict = rule(List.of());

    private static HostRule rule(List<String> allowed) {
        return HostRule.of(SETTING, allowed, DNS);
    }

    private static Optional<String> reason(HostRule rule, String host) {
        return rule.refusal(host).map(HostRefusal::reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1         | a loopback address
            10.0.0.5          | a private address
            172.16.0.1        | a private address
            192.168.1.1       | a private address
            169.254.10.1      | a link-local address
            169.254.169.254   | a cloud metadata address
            100.64.0.1        | a carrier-grade NAT address
            0.0.0.0           | an unspecified address
            224.0.0.1         | a multicast address
            255.255.255.255   | a reserved address
            [::1]             | a loopback address
            [fd12:3456::1]    | a private address
            [fe80::1]         | a link-local address
            [fd00:ec2::254]   | a cloud metadata address
            [::ffff:127.0.0.1]| a loopback address
            [::ffff:7f00:1]   | a loopback address
            [64:ff9b::a9fe:a9fe] | a cloud metadata address
            """)
    void refusesInternalLiteralsNamingTheKindAndTheSetting(String host, String kind) {
        String literal = host.replace("[", "").replace("]", "");
        assertThat(reason(strict, host)).contains("host " + literal + " is " + kind + HINT);
        assertThat(strict.refusal(host))
                .hasValueSatisfying(r -> assertThat(r.unresolved()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0177.0.0.1",
                "2130706433",
                "0x7f.0.0.1",
                "0x7f000001",
                "127.1",
                "010.0.0.1",
                "1.2.3.04",
                "017700000001",
                "0x7F.0x0.0x0.0x1"
            })
    void refusesDecimalOctalAndHexFormsEvenWhenTheirAddressIsAllowed(String host) {
        assertThat(reason(rule(List.of("127.0.0.0/8", "10.0.0.0/8")), host))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("host '" + host + "' is a numeric address in a form that git and the farm read"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "140.82.121.3",
                "[2001:4860:4860::8888]",
                "[::ffff:140.82.121.3]",
                "github.com",
                "GitHub.com",
                "172.32.0.1",
                "100.128.0.1"
            })
    void letsPublicHostsThrough(String host) {
        assertThat(strict.refusal(host)).isEmpty();
    }

    @Test
    void checksEveryAddressANameResolvesTo() {
        assertThat(reason(strict, "git.internal"))
                .contains("host 'git.internal' resolves to 10.0.0.5, a private " + "address" + HINT);
        assertThat(reason(strict, "mixed.example"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 192.168.0.10, a private address"));
        assertThat(reason(strict, "localhost"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 127.0.0.1, a loopback address"));
    }

    @Test
    void tellsWhichAddressesItCheckedSoThatACallerCanPinThem() throws Exception {
        assertThat(strict.check("github.com"))
                .isEqualTo(new HostCheck(Optional.empty(), List.of(InetAddress.getByName("140.82.121.3"))));
        assertThat(strict.check("140.82.121.3").addresses())
                .as("a literal needs no pin")
                .isEmpty();
        assertThat(rule(List.of("git.internal")).check("git.internal").addresses())
                .as("an allowed name is not " + "resolved")
                .isEmpty();
        assertThat(strict.check("git.internal").addresses()).isEmpty();
    }

    @Test
    void seesThroughAnIpv4MappedAddressInADnsAnswer() throws Exception {
        byte[] mapped = {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254
        };
        InetAddress address = Inet6Address.getByAddress(null, mapped, null);
        HostRule rule = HostRule.of(SETTING, List.of(), host -> List.of(address));
        assertThat(reason(rule, "sneaky.example"))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("resolves to 169.254.169.254, a cloud metadata address"));
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedAsUnresolved() {
        assertThat(strict.refusal("nowhere.invalid"))
                .contains(new HostRefusal(true, "host 'nowhere.invalid' does not resolve to any address"));
        assertThat(HostRule.of(SETTING, List.of(), host -> List.of()).refusal("empty.example"))
                .hasValueSatisfying(r -> assertThat(r.unresolved()).isTrue());
    }

    @Test
    void allowsNamesExactlyAndAddressesByLiteralOrBlock() {
        HostRule rule = rule(List.of("localhost", "[::1]", "10.20.0.0/16"));
        assertThat(rule.refusal("LOCALHOST")).isEmpty();
        assertThat(rule.refusal("sub.localhost")).isPresent();
        assertThat(rule.refusal("[::1]")).isEmpty();
        assertThat(rule.refusal("10.20.3.4")).isEmpty();
        assertThat(rule.refusal("pool.internal")).isEmpty();
        assertThat(reason(rule, "spread.internal"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 10.30.0.1, a private address"));
        assertThat(rule.refusal("127.0.0.1"))
                .as("a name in the list does not open its addresses")
                .isPresent();
    }

    @Test
    void opensAMetadataAddressOnlyThroughAnEntryForThatAddress() {
        HostRule broad = rule(List.of("169.254.0.0/16", "0.0.0.0/0"));
        assertThat(broad.refusal("169.254.1.1")).isEmpty();
        assertThat(reason(broad, "169.254.169.254"))
                .hasValueSatisfying(m -> assertThat(m).contains("a cloud metadata address"));
        assertThat(rule(List.of("169.254.169.254")).refusal("169.254.169.254")).isEmpty();
        assertThat(reason(rule(List.of("0.0.0.0/0")), "metadata.google.internal"))
                .hasValueSatisfying(m -> assertThat(m).contains("is a cloud metadata address"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/33",
                "fd00::/129",
                "10.0.0.0/x",
                "not a host",
                "2130706433",
                "-bad.example",
                "10.0.0.256",
                "1:2:3"
            })
    void refusesAMalformedAllowListEntryNamingTheSetting(String entry) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> rule(List.of(entry)))
                .withMessageStartingWith(SETTING + ": '" + entry + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "[not:v6]", "-host.example", "a b", "exa mple.com", "[]"})
    void refusesWhatIsNoHost(String host) {
        assertThat(strict.refusal(host))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("not a valid"));
    }
}
