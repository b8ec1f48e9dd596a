package io.archfarm.portal.forge.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.archfarm.portal.forge.Forge;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;

/** What a target, a status and the configuration accept, and what they say when they refuse. */
class CommitStatusInputsTest {

    private static final URI API = URI.create("https://forge.example/api/v1");
    private static final String SHA = CommitStatusClientTest.SHA;

    @ParameterizedTest
    @CsvSource({
        "GITHUB, owner",
        "GITHUB, group/sub/project",
        "GITEA, /name",
        "FORGEJO, 'owner/ name'",
        "GITLAB, project",
        "GITLAB, group//project"
    })
    void aRepositoryOfTheWrongShapeIsRefused(Forge kind, String repository) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitStatusTarget(kind, API, repository, "t"))
                .withMessageContaining("'" + repository + "'")
                .withMessageContaining("expected");
    }

    @ParameterizedTest
    @CsvSource({
        "GITHUB, owner/name",
        "GITLAB, 42",
        "GITLAB, group/project",
        "GITLAB, group/sub/project",
        "FORGEJO, owner/name.with-dots"
    })
    void aRepositoryOfTheForgesShapeIsTaken(Forge kind, String repository) {
        assertThatNoException().isThrownBy(() -> new CommitStatusTarget(kind, API, repository, "t"));
    }

    @ParameterizedTest
    @CsvSource({"ftp://forge.example/api", "https://forge.example/api?x=1", "/api/v4", "https:///api"})
    void anApiRootThatIsNotAnHttpUrlIsRefused(String url) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitStatusTarget(Forge.GITHUB, URI.create(url), "o/r", "t"))
                .withMessageContaining("expected an http(s) URL");
    }

    @Test
    void aBlankOrMultiLineTokenIsRefusedWithoutEchoingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitStatusTarget(Forge.GITHUB, API, "o/r", "s3cret\r\nX-Evil: 1"))
                .withMessageNotContaining("s3cret");
        assertThatIllegalArgumentException().isThrownBy(() -> new CommitStatusTarget(Forge.GITHUB, API, "o/r", " "));
    }

    @Test
    void aStatusNeedsAFullCommitIdAndAContext() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitStatus("7fd1a60", CommitState.PENDING, null, null, "archfarm", null))
                .withMessageContaining("40 or 64 hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitStatus(SHA, CommitState.PENDING, null, null, " ", null))
                .withMessageContaining("context");
        assertThatNoException()
                .isThrownBy(() -> new CommitStatus("a".repeat(64), CommitState.SUCCESS, null, null, "archfarm", null));
    }

    @Test
    void theTimeoutsDefaultToFiveAndTenSecondsAndBindFromArchfarmForgeStatus() {
        ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enabled.class);

        context.run(started -> {
            CommitStatusProperties defaults = started.getBean(CommitStatusProperties.class);
            assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(started).hasSingleBean(CommitStatusClient.class);
        });
        context.withPropertyValues(
                        "archfarm.forge-status.connect-timeout=2s", "archfarm.forge-status.read-timeout=750ms")
                .run(started -> {
                    CommitStatusProperties set = started.getBean(CommitStatusProperties.class);
                    assertThat(set.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(set.readTimeout()).isEqualTo(Duration.ofMillis(750));
                });
        context.withPropertyValues("archfarm.forge-status.read-timeout=0s")
                .run(started -> assertThat(started).hasFailed());
    }

    @EnableConfigurationProperties(CommitStatusProperties.class)
    @Import(CommitStatusClient.class)
    static class Enabled {}
}
