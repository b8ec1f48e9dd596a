package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * afctl's exit codes as a CI step sees them: 0 for a build that SUCCEEDED, 4 FAILED, 5 PARTIAL, 6 CANCELLED; 1 for a
 * request the farm refused, shown as {@code afctl: <title>: <detail>}; 3 for a farm it cannot reach or that refuses
 * the token.
 */
class ExitCodesTest extends AgainstFakeFarm {

    private static final String EVENTS = "GET /api/v1/builds/" + Recorded.BUILD_ID + "/events";

    @Test
    void aBuildThatSucceededEndsWithZeroAndItsManifestList() {
        farm.on(EVENTS, FakeFarm.Answer.events(Recorded.events("two-platforms-succeeded.sse")));

        Run.Result result = afctl("follow", Recorded.BUILD_ID);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("Manifest list sha256:" + "c".repeat(64))
                .contains("tag         127.0.0.1:5000/e2e/app:latest", "tag         127.0.0.1:5000/e2e/app:1.0")
                .containsPattern("linux/amd64 +sha256:a{64} +1052 +NATIVE +native-1")
                .containsPattern("linux/arm64 +sha256:b{64} +1049 +EMULATED +emulated-1");
        assertThat(farm.requests().getLast().authorization()).isEqualTo("Bearer t");
    }

    @Test
    void aBuildThatFailedEndsWithFourAndSaysWhy() {
        farm.on(EVENTS, FakeFarm.Answer.events(Recorded.events("two-platforms-failed.sse")));

        Run.Result result = afctl("follow", Recorded.BUILD_ID);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out())
                .contains("linux/arm64 FAILED: RUN step failed: exit status 3")
                .contains("error: linux/arm64 failed: RUN step failed: exit status 3")
                .contains("No manifest list was published.");
    }

    @Test
    void partialAndCancelledBuildsHaveCodesOfTheirOwn() {
        farm.on(EVENTS, FakeFarm.Answer.events(Recorded.endedAs("two-platforms-succeeded.sse", "PARTIAL")));
        assertThat(afctl("follow", Recorded.BUILD_ID).exitCode()).isEqualTo(5);

        farm.on(EVENTS, FakeFarm.Answer.events(Recorded.endedAs("two-platforms-succeeded.sse", "CANCELLED")));
        assertThat(afctl("follow", Recorded.BUILD_ID).exitCode()).isEqualTo(6);
    }

    @Test
    void aProblemOfTheApiIsOneLineWithTitleAndDetail() {
        farm.on(EVENTS, FakeFarm.Answer.problem(404, "Not Found", "build " + Recorded.BUILD_ID + " does not exist"));

        Run.Result result = afctl("follow", Recorded.BUILD_ID);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("afctl: Not Found: build " + Recorded.BUILD_ID + " does not exist\n");
    }

    @Test
    void aRefusedTokenEndsWithThree() {
        farm.on("GET /api/v1/workers", FakeFarm.Answer.problem(401, "Unauthorized", "the token is not valid"));

        Run.Result result = afctl("workers");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("afctl: Unauthorized: the token is not valid (log in again");
    }

    @Test
    void aFarmThatIsNotThereEndsWithThree() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run.Result result = new Run(home)
                .env("AFCTL_URL", "http://127.0.0.1:" + closedPort)
                .env("AFCTL_TOKEN", "t")
                .afctl("workers");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .isEqualTo("afctl: cannot reach the farm at http://127.0.0.1:" + closedPort + ": connection refused\n");
    }

    @Test
    void withoutAFarmToTalkToItSaysHowToGetOne() {
        Run.Result result = new Run(home).afctl("builds");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .contains("no farm to talk to: run 'afctl login URL', or set AFCTL_URL and AFCTL_TOKEN");
    }

    @Test
    void anAnswerThatIsNoProblemStillGetsOneLine() {
        farm.on(
                "GET /api/v1/workers",
                new FakeFarm.Answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", Map.of()));

        Run.Result result = afctl("workers");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("afctl: Bad Gateway: 502 Bad Gateway\n");
    }
}
