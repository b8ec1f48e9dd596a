package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullSpansTest {

    private long now;
    private final List<String> forwarded = new ArrayList<>();
    private final PullSpans spans = new PullSpans(forwarded::add, () -> now);

    private void at(long millis, String line) {
        now = Duration.ofMillis(millis).toNanos();
        spans.accept(line);
    }

    @Test
    void aPullLastsFromTryingToPullToTheFirstLineThatIsNotTheCopys() {
        at(0, "STEP 1/2: FROM 127.0.0.1:5000/demo/base@sha256:abc");
        at(10, "Trying to pull 127.0.0.1:5000/demo/base@sha256:abc...");
        at(20, "Getting image source signatures");
        at(30, "Copying blob sha256:123");
        at(40, "Copying config sha256:456");
        at(50, "Writing manifest to image destination");
        at(60, "STEP 2/2: COPY extra.txt /extra.txt");
        at(500, "COMMIT localhost/archfarm-job");

        assertThat(spans.pulled()).isEqualTo(Duration.ofMillis(50));
        assertThat(forwarded).as("every line still reaches the log").hasSize(8);
    }

    @Test
    void severalPullsAddUpAndABuildWithoutOneHasNone() {
        at(0, "Trying to pull a...");
        at(30, "STEP 2/4: RUN true");
        at(100, "Trying to pull b...");
        at(120, "Copying blob sha256:1");
        at(125, "STEP 3/4: COPY --from=b / /");
        assertThat(spans.pulled()).isEqualTo(Duration.ofMillis(55));

        PullSpans none = new PullSpans(line -> {}, () -> now);
        none.accept("STEP 1/1: FROM scratch");
        assertThat(none.pulled()).isZero();
    }

    @Test
    void aPullThatTheOutputEndsInCountsUpToTheEnd() {
        at(0, "Trying to pull nowhere/x...");
        now = Duration.ofMillis(70).toNanos();
        assertThat(spans.pulled()).isEqualTo(Duration.ofMillis(70));
    }
}
