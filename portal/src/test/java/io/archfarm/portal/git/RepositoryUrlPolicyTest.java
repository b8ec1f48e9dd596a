package io.archfarm.portal.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryUrlPolicyTest {

    private final RepositoryUrlPolicy strict = RepositoryUrlPolicyFactory.policy(false);
    private final RepositoryUrlPolicy withFiles = RepositoryUrlPolicyFactory.policy(true);

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/team/app.git", "http://127.0.0.1:8080/x.git", "git://127.0.0.1/hello.git",
            "ssh://git@git.example.com:2222/team/app.git", "git@github.com:team/app.git", "GIT://host/x",
            "ssh://git@[::1]/x.git"})
    void acceptsNetworkTransports(String url) {
        assertThat(strict.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/x.git", "/srv/git/app.git", "app.git", "https://", "-uhttps://x/y",
            "git@host", "https://host/x y", "ssh://host/x\n"})
    void refusesEverythingElseNamingTheUrl(String url) {
        assertThat(strict.refusal(url)).hasValueSatisfying(m -> assertThat(m).startsWith("repository '"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "EXT::ssh host", "fd::17", "transport::https://x/y"})
    void neverRunsRemoteHelpers(String url) {
        assertThat(withFiles.refusal(url)).hasValueSatisfying(m -> assertThat(m).contains("remote helper"));
    }

    @Test
    void acceptsFileUrlsOnlyWhenAllowed() {
        assertThat(strict.refusal("file:///srv/git/app.git")).hasValueSatisfying(
                m -> assertThat(m).contains("'file:///srv/git/app.git'").contains("archfarm.git.allow-file-urls=false"));
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
        assertThat(strict.refusal("https://ci-bot:s3cr3t-t0ken@git.example.com/team/app.git")).hasValueSatisfying(
                m -> assertThat(m).contains("must not carry a password or token").doesNotContain("s3cr3t"));
        assertThat(strict.refusal("ssh://git@git.example.com:2222/team/app.git")).isEmpty();
        assertThat(strict.refusal("https://ci-bot@git.example.com/team/app.git")).isEmpty();
    }
}
