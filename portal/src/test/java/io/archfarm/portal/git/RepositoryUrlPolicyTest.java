package io.archfarm.portal.git;

import static io.archfarm.portal.git.RepositoryUrlPolicyFactory.policy;
import static io.archfarm.portal.git.RepositoryUrlPolicyFactory.resolver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.archfarm.model.hosts.HostResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryUrlPolicyTest {

    private static final String HINT = "an operator can allow it with archfarm.git.allowed-hosts";
    private static final HostResolver DNS = resolver(Map.of(
            "github.com", List.of("140.82.121.3"),
            "git.internal", List.of("10.0.0.5"),
            "other.internal", List.of("10.0.0.6"),
            "localhost", List.of("127.0.0.1", "::1"),
            "mixed.example", List.of("140.82.121.4", "192.168.0.10"),
            "pool.internal", List.of("10.20.0.1", "10.20.0.2"),
            "spread.internal", List.of("10.20.0.1", "10.30.0.1")));

    private final RepositoryUrlPolicy strict = policy(false);
    private final RepositoryUrlPolicy withFiles = policy(true);
    private final RepositoryUrlPolicy withDns = policy(false, List.of(), DNS);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://github.com/team/app.git",
                "http://140.82.121.3:8080/x.git",
                "git://140.82.121.3/hello.git",
                "ssh://git@git.example.com:2222/team/app.git",
                "git@github.com:team/app.git",
                "GIT://host/x",
                "ssh://git@[2606:4700::1111]/x.git",
                "https://[2001:4860:4860::8888]:8443/x.git",
                "https://git.example.com./x.git",
                "https://my_git.example.com/x.git"
            })
    void acceptsNetworkTransportsToPublicHosts(String url) {
        assertThat(strict.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.org/x.git",
                "/srv/git/app.git",
                "app.git",
                "https://",
                "-uhttps://x/y",
                "git@host",
                "https://host/x y",
                "ssh://host/x\n",
                "https://evil.example#@127.0.0.1/x.git",
                "https://a@b@c.example/x.git",
                "ssh://-oProxyCommand=touch/x.git",
                "https://host:/x.git",
                "https://[::1/x.git",
                "https://[not:v6]/x.git",
                "https://-host.example/x.git",
                "http://127.0.0.1\\@x.example/"
            })
    void refusesEverythingElseNamingTheUrl(String url) {
        assertThat(strict.refusal(url)).hasValueSatisfying(m -> assertThat(m).startsWith("repository '"));
    }

    /** scp-like user@host:path lets any user part through, so an option for git could pass as one. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "-oProxyCommand=touch@github.com:team/app.git",
                "--upload-pack=touch@github.com:x",
                "-u@github.com:team/app.git"
            })
    void refusesAUrlThatGitWouldReadAsAnOption(String url) {
        assertThat(strict.refusal(url)).hasValue("repository '" + url + "' must not start with '-'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1         | a loopback address
            127.5.6.7         | a loopback address
            10.0.0.5          | a private address
            172.16.0.1        | a private address
            172.31.255.254    | a private address
            192.168.1.1       | a private address
            169.254.10.1      | a link-local address
            169.254.169.254   | a cloud metadata address
            100.100.100.200   | a cloud metadata address
            100.64.0.1        | a carrier-grade NAT address
            100.127.255.254   | a carrier-grade NAT address
            0.0.0.0           | an unspecified address
            0.1.2.3           | an unspecified address
            224.0.0.1         | a multicast address
            239.255.255.250   | a multicast address
            255.255.255.255   | a reserved address
            """)
    void refusesInternalIpv4Addresses(String address, String kind) {
        assertThat(strict.refusal("https://" + address + "/team/app.git"))
                .contains("repository 'https://" + address + "/team/app.git' is refused: host " + address + " is "
                        + kind + "; " + HINT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ::1                 | a loopback address
            ::                  | an unspecified address
            fc00::1             | a private address
            fd12:3456::1        | a private address
            fec0::1             | a private address
            fe80::1             | a link-local address
            febf::1             | a link-local address
            ff02::1             | a multicast address
            fd00:ec2::254       | a cloud metadata address
            ::ffff:127.0.0.1    | a loopback address
            ::ffff:7f00:1       | a loopback address
            ::ffff:10.0.0.5     | a private address
            ::ffff:169.254.169.254 | a cloud metadata address
            64:ff9b::a9fe:a9fe  | a cloud metadata address
            64:ff9b::10.1.2.3   | a private address
            ::127.0.0.1         | a loopback address
            """)
    void refusesInternalIpv6AddressesSeeingThroughEmbeddedIpv4(String address, String kind) {
        assertThat(strict.refusal("ssh://git@[" + address + "]:2222/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("host " + address + " is " + kind + "; " + HINT));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "11.0.0.1",
                "192.169.0.1",
                "169.255.0.1",
                "126.255.255.255",
                "223.255.255.255",
                "[2001:4860:4860::8888]",
                "[fbff::1]",
                "[2a00:1450::1]",
                "[::ffff:140.82.121.3]",
                "[64:ff9b::8c52:7903]"
            })
    void acceptsPublicAddressesNextToTheBlockedRanges(String host) {
        assertThat(strict.refusal("https://" + host + "/x.git")).isEmpty();
    }

    @Test
    void refusesANameThatResolvesInsideAndSaysWhereTo() {
        assertThat(withDns.refusal("https://git.internal/team/app.git"))
                .contains("repository "
                        + "'https://git.internal/team/app.git' is refused: host 'git.internal' resolves to 10.0.0.5, a private "
                        + "address; " + HINT);
        assertThat(withDns.refusal("https://github.com/team/app.git")).isEmpty();
    }

    @Test
    void refusesADnsAnswerWithOnePublicAndOnePrivateAddress() {
        assertThat(withDns.refusal("https://mixed.example/x.git"))
                .hasValueSatisfying(m ->
                        assertThat(m).contains("host 'mixed.example' resolves to 192.168.0.10, a private address"));
        assertThat(withDns.refusal("https://localhost/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 127.0.0.1, a loopback address"));
    }

    @Test
    void seesThroughAnIpv4MappedAddressInADnsAnswer() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, null);
        assertThat(address).isInstanceOf(Inet6Address.class);
        RepositoryUrlPolicy policy = policy(false, List.of(), host -> List.of(address));
        assertThat(policy.refusal("https://sneaky.example/x.git"))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("host 'sneaky.example' resolves to 127.0.0.1, a loopback address"));
        assertThat(policy(false, List.of("127.0.0.1"), host -> List.of(address))
                        .refusal("https://sneaky.example/x.git"))
                .isEmpty();
    }

    @Test
    void refusesANameThatDoesNotResolve() {
        assertThat(withDns.refusal("https://nowhere.invalid/x.git"))
                .contains(
                        "repository "
                                + "'https://nowhere.invalid/x.git' is refused: host 'nowhere.invalid' does not resolve to any address");
        assertThat(policy(false, List.of(), host -> List.of()).refusal("https://empty.example/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("does not resolve"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.google.internal", "METADATA.Google.Internal", "metadata.google.internal."})
    void refusesTheMetadataNameWhateverItResolvesTo(String host) {
        assertThat(strict.refusal("http://" + host + "/computeMetadata/v1/x.git"))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("host '" + host + "' is a cloud metadata address; " + HINT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "2130706433", "0x7f.0.0.1", "0x7f000001", "127.1", "010.0.0.1", "1.2.3.04"})
    void refusesNumericHostsThatParsersReadDifferently(String host) {
        assertThat(policy(false, List.of("127.0.0.0/8", "10.0.0.0/8")).refusal("http://" + host + "/x.git"))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("host '" + host + "' is a numeric address in a form "
                                + "that git and the farm read differently"));
    }

    @Test
    void allowsHostsByNameExactlyAndWithoutCase() {
        RepositoryUrlPolicy policy = policy(false, List.of("localhost", "Git.Internal"), DNS);
        assertThat(policy.refusal("http://localhost:8080/x.git")).isEmpty();
        assertThat(policy.refusal("http://LOCALHOST/x.git")).isEmpty();
        assertThat(policy.refusal("ssh://git@GIT.internal/x.git")).isEmpty();
        assertThat(policy.refusal("git@git.internal:team/app.git")).isEmpty();
        assertThat(policy.refusal("https://other.internal/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 10.0.0.6, a private address"));
        assertThat(policy.refusal("https://sub.git.internal/x.git")).isPresent();
        assertThat(policy.refusal("https://127.0.0.1/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("host 127.0.0.1 is a loopback address"));
    }

    @Test
    void allowsAddressesByIpLiteral() {
        RepositoryUrlPolicy policy = policy(false, List.of("127.0.0.1", "[::1]"), DNS);
        assertThat(policy.refusal("git://127.0.0.1/hello.git")).isEmpty();
        assertThat(policy.refusal("http://127.0.0.1:9418/hello.git")).isEmpty();
        assertThat(policy.refusal("ssh://git@[::1]:2222/x.git")).isEmpty();
        assertThat(policy.refusal("https://[::ffff:127.0.0.1]/x.git")).isEmpty();
        assertThat(policy.refusal("https://localhost/x.git"))
                .as("both of its addresses are allowed")
                .isEmpty();
        assertThat(policy.refusal("git://127.0.0.2/hello.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("host 127.0.0.2 is a loopback address"));
    }

    @Test
    void allowsAddressesByCidrBlockWhenEveryResolvedAddressIsInside() {
        RepositoryUrlPolicy policy = policy(false, List.of("10.20.0.0/16", "fd12::/16"), DNS);
        assertThat(policy.refusal("https://10.20.3.4/x.git")).isEmpty();
        assertThat(policy.refusal("https://[fd12:ab::5]/x.git")).isEmpty();
        assertThat(policy.refusal("https://pool.internal/x.git")).isEmpty();
        assertThat(policy.refusal("https://10.21.0.1/x.git")).isPresent();
        assertThat(policy.refusal("https://[fd13::5]/x.git")).isPresent();
        assertThat(policy.refusal("https://spread.internal/x.git"))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("host 'spread.internal' resolves to 10.30.0.1, a private address"));
    }

    @Test
    void opensAMetadataAddressOnlyThroughAnEntryForThatAddress() {
        RepositoryUrlPolicy linkLocal = policy(false, List.of("169.254.0.0/16", "0.0.0.0/0"));
        assertThat(linkLocal.refusal("http://169.254.1.1/x.git")).isEmpty();
        assertThat(linkLocal.refusal("http://10.1.1.1/x.git")).isEmpty();
        assertThat(linkLocal.refusal("http://169.254.169.254/x.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("a cloud metadata address"));
        assertThat(policy(false, List.of("169.254.169.254")).refusal("http://169.254.169.254/x.git"))
                .isEmpty();
    }

    @Test
    void checksTheHostOfScpLikeUrls() {
        assertThat(withDns.refusal("git@git.internal:team/app.git"))
                .contains("repository 'git@git.internal:team/app.git'"
                        + " is refused: host 'git.internal' resolves to 10.0.0.5, a private address; " + HINT);
        assertThat(withDns.refusal("git@10.0.0.5:team/app.git"))
                .hasValueSatisfying(m -> assertThat(m).contains("host 10.0.0.5 is a private address"));
        assertThat(withDns.refusal("git@github.com:team/app.git")).isEmpty();
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
    void refusesToStartWithAMalformedAllowedHost(String entry) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy(false, List.of(entry)))
                .withMessageStartingWith("archfarm.git.allowed-hosts: '" + entry + "'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://api.github.com",
                "https://gitlab.example.com/api/v4",
                "http://140.82.121.3:3000/",
                "https://[2001:4860:4860::8888]/api/v1"
            })
    void acceptsPublicForgeApiUrls(String url) {
        assertThat(strict.refusalOfApiUrl(url)).isEmpty();
    }

    @Test
    void refusesForgeApiUrlsOnInternalHostsUnlessAllowed() {
        assertThat(strict.refusalOfApiUrl("http://127.0.0.1:3000/api/v1"))
                .contains("forge API URL "
                        + "'http://127.0.0.1:3000/api/v1' is refused: host 127.0.0.1 is a loopback address; " + HINT);
        assertThat(withDns.refusalOfApiUrl("https://git.internal/api/v4"))
                .hasValueSatisfying(m -> assertThat(m).contains("resolves to 10.0.0.5, a private address"));
        assertThat(policy(false, List.of("127.0.0.1")).refusalOfApiUrl("http://127.0.0.1:3000/api/v1"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ssh://api.example.com",
                "git://api.example.com/",
                "api.example.com",
                "https://api.example.com/x?token=1",
                "https://api.example.com/#x",
                "https://",
                "https://host:/x"
            })
    void refusesForgeApiUrlsThatAreNotPlainHttp(String url) {
        assertThat(strict.refusalOfApiUrl(url))
                .hasValueSatisfying(m -> assertThat(m).startsWith("forge API URL '"));
    }

    @Test
    void refusesUserInformationInAForgeApiUrlWithoutRepeatingIt() {
        assertThat(strict.refusalOfApiUrl("https://bot:s3cr3t@api.example.com/"))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("must not carry user information")
                        .doesNotContain("s3cr3t"));
        assertThat(strict.refusalOfApiUrl("https://s3cr3t@api.example.com/"))
                .hasValueSatisfying(m -> assertThat(m).doesNotContain("s3cr3t"));
        assertThat(strict.refusalOfApiUrl(null)).contains("forge API URL is required");
        assertThat(strict.refusalOfApiUrl("https://api.example.com/ x"))
                .hasValueSatisfying(m -> assertThat(m).contains("whitespace or control characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "EXT::ssh host", "fd::17", "transport::https://x/y"})
    void neverRunsRemoteHelpers(String url) {
        assertThat(withFiles.refusal(url)).hasValueSatisfying(m -> assertThat(m).contains("remote helper"));
    }

    @Test
    void acceptsFileUrlsOnlyWhenAllowed() {
        assertThat(strict.refusal("file:///srv/git/app.git"))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("'file:///srv/git/app.git'")
                        .contains("archfarm.git.allow-file-urls=false"));
        assertThat(withFiles.refusal("file:///srv/git/app.git")).isEmpty();
        assertThat(withFiles.refusal("file://host/srv/app.git")).isPresent();
    }

    @Test
    void requiresARepository() {
        assertThat(strict.refusal(null)).contains("repository is required");
        assertThat(strict.refusal("  ")).contains("repository is required");
    }

    @Test
    void refusesCredentialsInTheUrlWithoutRepeatingThem() {
        assertThat(strict.refusal("https://ci-bot:s3cr3t-t0ken@git.example.com/team/app.git"))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("must not carry a password or token")
                        .doesNotContain("s3cr3t"));
        assertThat(strict.refusal("ssh://git@git.example.com:2222/team/app.git"))
                .isEmpty();
        assertThat(strict.refusal("https://ci-bot@git.example.com/team/app.git"))
                .isEmpty();
    }
}
