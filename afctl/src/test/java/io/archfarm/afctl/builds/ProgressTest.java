package io.archfarm.afctl.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step a platform has reached, read from buildah's {@code STEP n/m:} lines as the log arrives in pieces. */
class ProgressTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private static Build running(int attempt) {
        return withJob("RUNNING", attempt, null);
    }

    private static Build withJob(String status, int attempt, Instant finished) {
        return new Build(
                "id",
                status,
                "t",
                "p",
                1L,
                "API",
                "ci",
                "git://h/r.git",
                "main",
                "abc",
                "r/i",
                List.of("latest"),
                null,
                T0,
                T0,
                finished,
                List.of(new Build.PlatformJob(
                        "linux/arm64",
                        "any",
                        status,
                        "EMULATED",
                        "emulated-1",
                        attempt,
                        null,
                        null,
                        null,
                        T0,
                        finished)),
                null,
                false,
                List.of());
    }

    @Test
    void aStepCountsOnceItsLineIsWhole() {
        Progress progress = new Progress();
        progress.build(running(1));

        progress.log("linux/arm64", "STEP 1/4: FROM base\nSTEP 2/4: RU");
        assertThat(progress.step("linux/arm64")).contains("1/4");

        progress.log("linux/arm64", "N make\r\noutput of make\n");
        assertThat(progress.step("linux/arm64")).contains("2/4");
    }

    @Test
    void aJobThatSucceededRanEveryStepWhateverOfItsLogHasArrived() {
        Progress progress = new Progress();
        progress.build(running(1));
        progress.log("linux/arm64", "[1/2] STEP 2/5: RUN make\n");

        progress.build(withJob("SUCCEEDED", 1, T0.plusSeconds(9)));

        assertThat(progress.rows(T0.plusSeconds(20)))
                .extracting(Progress.Row::step)
                .containsExactly("[2/2] 5/5");

        progress.build(withJob("FAILED", 1, T0.plusSeconds(9)));
        assertThat(progress.rows(T0.plusSeconds(20)))
                .extracting(Progress.Row::step)
                .containsExactly("[1/2] 2/5");
    }

    @Test
    void aMultiStageBuildShowsItsStage() {
        Progress progress = new Progress();
        progress.log("linux/arm64", "[2/3] STEP 5/9: COPY --from=s1 /a /a\n");

        assertThat(progress.step("linux/arm64")).contains("[2/3] 5/9");
    }

    @Test
    void aNewAttemptStartsItsStepsAgain() {
        Progress progress = new Progress();
        progress.build(running(1));
        progress.log("linux/arm64", "STEP 3/4: RUN make\n");

        progress.build(running(2));
        assertThat(progress.step("linux/arm64")).isEmpty();

        progress.log("linux/arm64", "STEP 1/4: FROM base\n=== attempt 3 on worker w (EMULATED) ===\n");
        assertThat(progress.step("linux/arm64")).isEmpty();
    }

    @Test
    void whatARunStepPrintsIsNoStep() {
        Progress progress = new Progress();
        progress.log("linux/arm64", "echo STEP 9/9: fake\n  STEP 8/9: indented\n");

        assertThat(progress.step("linux/arm64")).isEmpty();
    }

    @Test
    void aRowShowsTheElapsedTimeOfARunningJob() {
        Progress progress = new Progress();
        progress.build(running(1));

        assertThat(progress.rows(T0.plusSeconds(75)))
                .containsExactly(new Progress.Row("linux/arm64", "RUNNING", "EMULATED", "emulated-1", 1, "1:15", null));
    }
}
