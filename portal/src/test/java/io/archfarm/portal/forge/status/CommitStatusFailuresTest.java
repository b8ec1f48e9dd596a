package io.archfarm.portal.forge.status;

import static io.archfarm.portal.forge.status.CommitStatusClientTest.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.archfarm.portal.forge.Forge;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A forge that refuses, fails, stalls or is gone: which of these the background reporter may retry. */
class CommitStatusFailuresTest {

    /** Short, so that the stalled forge costs the test little; long enough for a cold JVM's first call. */
    private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(1);

    private ForgeStub forge;
    private final CommitStatusClient client =
            new CommitStatusClient(new CommitStatusProperties(Duration.ofSeconds(2), Duration.ofSeconds(10)));

    @BeforeEach
    void startForge() throws IOException {
        forge = new ForgeStub();
    }

    @AfterEach
    void stopForge() {
        forge.close();
    }

    @ParameterizedTest
    @CsvSource({"GITHUB, owner/name", "GITLAB, group/project", "GITEA, owner/name", "FORGEJO, owner/name"})
    void aForgeAnswering500CanBeRetried(Forge kind, String repository) {
        String answer = "x".repeat(200) + "NOT-IN-THE-MESSAGE";
        forge.answer(500, answer);

        CommitStatusException failed = report(kind, repository);

        assertThat(failed.retryable()).isTrue();
        assertThat(failed.getMessage())
                .contains("answered 500: " + "x".repeat(200))
                .doesNotContain("NOT-IN-THE-MESSAGE");
    }

    @ParameterizedTest
    @CsvSource({"GITHUB, owner/name", "GITLAB, 42", "GITEA, owner/name", "FORGEJO, owner/name"})
    void aForgeAnswering401IsNotRetried(Forge kind, String repository) {
        forge.answer(401, "{\"message\":\"Bad credentials\"}");

        CommitStatusException refused = report(kind, repository);

        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("answered 401").contains("Bad credentials");
    }

    @ParameterizedTest
    @CsvSource({"429, true", "503, true", "408, true", "404, false", "422, false", "302, false"})
    void onlyServerErrorsRateLimitsAndTimeoutsCanBeRetried(int code, boolean retryable) {
        forge.answer(new MockResponse.Builder()
                .code(code)
                .setHeader("Location", "http://elsewhere.example/")
                .body("answer " + code)
                .build());

        CommitStatusException failed = report(Forge.GITHUB, "owner/name");

        assertThat(failed.retryable()).isEqualTo(retryable);
        assertThat(failed.getMessage()).contains("answered " + code);
        assertThat(forge.requestCount())
                .as("a redirect is not followed, so the token goes nowhere else")
                .isOne();
    }

    @Test
    void aForgeThatNeverAnswersTimesOutWithinTheReadTimeoutAndCanBeRetried() {
        forge.answer(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());

        CommitStatusClient impatient =
                new CommitStatusClient(new CommitStatusProperties(Duration.ofSeconds(2), SHORT_READ_TIMEOUT));
        CommitStatusTarget target = new CommitStatusTarget(Forge.GITEA, forge.api("/api/v1"), "owner/name", "t0ken");

        long start = System.nanoTime();
        CommitStatusException timedOut =
                catchThrowableOfType(CommitStatusException.class, () -> impatient.report(target, pending()));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(timedOut.retryable()).isTrue();
        assertThat(timedOut.getMessage()).contains("timed out");
        assertThat(waited).isGreaterThanOrEqualTo(SHORT_READ_TIMEOUT).isLessThan(SHORT_READ_TIMEOUT.plusSeconds(2));
    }

    @Test
    void aForgeThatIsGoneCanBeRetried() {
        URI gone = forge.api("/api/v4");
        forge.close();

        CommitStatusException failed = catchThrowableOfType(
                CommitStatusException.class,
                () -> client.report(new CommitStatusTarget(Forge.GITLAB, gone, "group/project", "t0ken"), pending()));

        assertThat(failed.retryable()).isTrue();
        assertThat(failed.getMessage()).contains("failed");
    }

    private CommitStatusException report(Forge kind, String repository) {
        CommitStatusTarget target = new CommitStatusTarget(kind, forge.api("/api"), repository, "t0ken");
        CommitStatusException thrown =
                catchThrowableOfType(CommitStatusException.class, () -> client.report(target, pending()));
        assertThat(thrown).as("the report should have failed").isNotNull();
        return thrown;
    }
}
