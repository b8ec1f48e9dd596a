package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.JobOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitUrlPolicyTest {

    private final GitUrlPolicy strict = new GitUrlPolicy(false);
    private final GitUrlPolicy allowingFiles = new GitUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://git.example.com/team/app.git",
                "http://127.0.0.1:9418/app",
                "git://127.0.0.1/app.git",
                "ssh://git@example.com:2222/team/app.git",
                "git@github.com:team/app.git",
                "example.com:team/app",
                "ssh://git@[::1]:2222/x.git",
                "https://[fd00:ec2::254]/x.git"
            })
    void networkUrlsAreAlwaysAllowed(String url) {
        assertThatCode(() -> strict.check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///srv/git/app.git", "/srv/git/app.git", "./app", "FILE:///srv/app"})
    void localRepositoriesOnlyWhenAllowed(String url) {
        assertThatThrownBy(() -> strict.check(url))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("'" + url + "'")
                .hasMessageContaining("archfarm.git.allow-file-urls=false")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThatCode(() -> allowingFiles.check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "ext::ssh", "fd::3", "testgit::/x"})
    void remoteHelpersAreNeverAllowed(String url) {
        assertThatThrownBy(() -> allowingFiles.check(url))
                .hasMessageContaining("'" + url + "'")
                .hasMessageContaining("never allowed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.com/app.git",
                "--upload-pack=touch /tmp/x",
                "",
                "just-a-name",
                "https://example.com/a b"
            })
    void otherThingsAreRefusedNamingTheValue(String url) {
        assertThatThrownBy(() -> allowingFiles.check(url))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("repository '" + url + "' refused");
    }

    @Test
    void gitItselfIsLimitedToTheSameProtocols() {
        assertThat(strict.allowedProtocols()).isEqualTo("http:https:git:ssh");
        assertThat(allowingFiles.allowedProtocols()).endsWith(":file");
    }
}
