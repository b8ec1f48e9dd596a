package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.Terminal;
import org.junit.jupiter.api.Test;

/** The live progress of a recorded two-platform build, as plain lines for a CI log and redrawn on a terminal. */
class ProgressDisplayTest extends AgainstFakeFarm {

    private static final String EVENTS = "GET /api/v1/builds/" + Recorded.BUILD_ID + "/events";
    private static final String ESC = "\u001b[";

    ProgressDisplayTest() {
        farm.on(EVENTS, FakeFarm.Answer.events(Recorded.events("two-platforms-succeeded.sse")));
    }

    @Test
    void plainLinesSayEachChangeOnceInOrder() {
        Run.Result result = run().afctl("follow", "--progress", "plain", Recorded.BUILD_ID);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("""
                [0:00] build #3 e2e/app QUEUED
                [0:00] linux/amd64  QUEUED     -         -
                [0:00] linux/arm64  QUEUED     -         -
                [0:00] build #3 e2e/app RUNNING
                [0:00] linux/amd64  RUNNING    NATIVE    native-1
                [0:00] linux/amd64  RUNNING    NATIVE    native-1      step 1/3
                [0:00] linux/arm64  RUNNING    EMULATED  emulated-1
                [0:00] linux/amd64  RUNNING    NATIVE    native-1      step 3/3
                [0:00] linux/arm64  RUNNING    EMULATED  emulated-1    step 2/3
                [0:00] linux/amd64  SUCCEEDED  NATIVE    native-1      step 3/3
                [0:00] linux/arm64  RUNNING    EMULATED  emulated-1    step 3/3
                [0:00] linux/arm64  SUCCEEDED  EMULATED  emulated-1    step 3/3
                [0:00] build #3 e2e/app SUCCEEDED after 0:33

                Manifest list sha256:""");
        assertThat(result.out()).doesNotContain(ESC);
    }

    @Test
    void aTerminalGetsOneBlockRedrawnInPlace() {
        Run.Result result = run().terminal(new Terminal(true, true, 80, true)).afctl("follow", Recorded.BUILD_ID);

        assertThat(result.exitCode()).isZero();
        String out = result.out();
        assertThat(out).contains(ESC + "4F").as("the block of 4 lines is drawn over itself");
        String lastFrame = out.substring(out.lastIndexOf(ESC + "4F"), out.indexOf("Manifest list"));
        assertThat(lastFrame.replaceAll("\u001b\\[[0-9]*[A-Za-z]", "")).isEqualTo("""
                build #3 e2e/app  SUCCEEDED  0:33
                  PLATFORM     STATUS     MODE      WORKER      ELAPSED  STEP
                  linux/amd64  SUCCEEDED  NATIVE    native-1    0:08     3/3
                  linux/arm64  SUCCEEDED  EMULATED  emulated-1  0:29     3/3

                """);
        assertThat(lastFrame).contains(ESC + "32mSUCCEEDED" + ESC + "0m");
    }

    @Test
    void withoutColoursTheTerminalGetsNoColourCodes() {
        Run.Result result = run().terminal(new Terminal(true, true, 40, false)).afctl("follow", Recorded.BUILD_ID);

        assertThat(result.out()).doesNotContain(ESC + "32m");
        assertThat(result.out()
                        .lines()
                        .filter(line -> line.startsWith(ESC + "2K"))
                        .map(line -> line.replaceAll("\u001b\\[[0-9]*[A-Za-z]", "")))
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(39));
    }

    @Test
    void withJsonTheProgressGoesToStandardErrorAndTheBuildToStandardOutput() {
        Run.Result result = run().afctl("follow", "-o", "json", Recorded.BUILD_ID);

        assertThat(result.exitCode()).isZero();
        assertThat(Json.parse(result.out()).path("manifestList").path("digest").asString())
                .isEqualTo("sha256:" + "c".repeat(64));
        assertThat(result.err()).contains("[0:00] linux/arm64  SUCCEEDED  EMULATED  emulated-1    step 3/3");
    }
}
