package io.archfarm.model.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ImageReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SSRF probes of the farm's security suite (issue 11): one probe per address class, in the spellings an attacker
 * tries, each held to the one host rule as a repository or submodule host and as an image registry. Nothing here
 * connects anywhere: the rule decides from the text and from made-up DNS answers.
 */
class SsrfProbeTest {

    /** Names an attacker controls, answering with an internal address (DNS rebinding's first half). */
    private static final HostResolver ATTACKER_DNS = Dns.answering(Map.of(
            "loopback.attacker.example", List.of("127.0.0.1"),
            "v6-loopback.attacker.example", List.of("::1"),
            "private.attacker.example", List.of("10.0.0.1"),
            "metadata.attacker.example", List.of("169.254.169.254"),
            "mapped.attacker.example", List.of("::ffff:192.168.1.1"),
            "ula.attacker.example", List.of("fd00::1"),
            "half.attacker.example", List.of("140.82.121.3", "172.16.0.1"),
            "localhost", List.of("127.0.0.1", "::1")));

    private final HostRule git = HostRule.of("archfarm.git.allowed-hosts", List.of(), ATTACKER_DNS);
    private final RegistryRule registries = RegistryRule.of(List.of(), List.of(), ATTACKER_DNS);

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            loopback IPv4               | 127.0.0.1
            loopback IPv4, not .1       | 127.53.0.9
            loopback IPv6               | [::1]
            loopback, IPv4-mapped       | [::ffff:127.0.0.1]
            loopback, mapped in hex     | [::ffff:7f00:1]
            loopback, IPv4-compatible   | [::127.0.0.1]
            loopback, decimal           | 2130706433
            loopback, octal             | 0177.0.0.1
            loopback, hex               | 0x7f000001
            loopback, short form        | 127.1
            loopback by name            | localhost
            loopback by attacker DNS    | loopback.attacker.example
            loopback IPv6 by DNS        | v6-loopback.attacker.example
            unspecified                 | 0.0.0.0
            unspecified IPv6            | [::]
            private 10/8                | 10.0.0.1
            private 172.16/12           | 172.16.0.1
            private 192.168/16          | 192.168.1.1
            private by attacker DNS     | private.attacker.example
            private, mapped by DNS      | mapped.attacker.example
            one private answer of two   | half.attacker.example
            carrier-grade NAT           | 100.64.0.1
            link-local                  | 169.254.1.1
            link-local IPv6             | [fe80::1]
            metadata AWS/GCP/Azure      | 169.254.169.254
            metadata AWS IPv6           | [fd00:ec2::254]
            metadata Alibaba            | 100.100.100.200
            metadata Oracle             | 192.0.0.192
            metadata by name            | metadata.google.internal
            metadata by attacker DNS    | metadata.attacker.example
            metadata through NAT64      | [64:ff9b::a9fe:a9fe]
            ULA                         | [fd00::1]
            ULA by attacker DNS         | ula.attacker.example
            site-local IPv6             | [fec0::1]
            multicast                   | 224.0.0.1
            multicast IPv6              | [ff02::1]
            reserved / broadcast        | 255.255.255.255
            """)
    void everyInternalAddressClassIsRefusedAsAGitHostAndAsARegistry(String addressClass, String host) {
        assertThat(git.refusal(host))
                .as("%s as a git host", addressClass)
                .hasValueSatisfying(r -> assertThat(r.unresolved()).isFalse());
        String image = host + ":5000/probe/app";
        Optional<String> malformed = ImageReference.refusal(image);
        if (malformed.isPresent()) {
            // an IPv6 literal with a dotted tail is no valid image reference: refused before any host rule
            assertThat(malformed.get()).contains("has a malformed registry host");
            return;
        }
        assertThat(registries.refusal(ImageReference.parse(image)))
                .as("%s as a registry", addressClass)
                .hasValueSatisfying(r -> assertThat(r.reason()).startsWith("image '" + image + "' is refused: "));
    }
}
