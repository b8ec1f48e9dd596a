package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.LayerCache;
import io.archfarm.model.messages.JobCache;
import io.archfarm.model.messages.JobCache.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** On output buildah 1.28 wrote (captured into {@code layer-cache/}), for a two-stage Containerfile. */
class CacheStepsTest {

    private static final String RUN = "RUN i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done > /burn";

    @Test
    void aColdBuildMissesEveryStepAndFromIsNoStep() throws IOException {
        JobCache cache = read("cold-multi-stage.txt", LayerCache.USE);

        assertThat(cache.steps())
                .containsExactly(
                        new Step("[1/2] 2/3", RUN, false),
                        new Step("[1/2] 3/3", "COPY app.txt /app.txt", false),
                        new Step("[2/2] 2/5", "ARG X=1", false),
                        new Step("[2/2] 3/5", "RUN echo $X > /x", false),
                        new Step("[2/2] 4/5", "COPY app.txt /app2.txt", false),
                        new Step("[2/2] 5/5", "CMD [\"cat\",\"/app.txt\"]", false));
        assertThat(cache.layerCache()).isEqualTo("USE");
        assertThat(cache.store()).isEqualTo("team-a/linux-amd64/1");
    }

    @Test
    void aWarmBuildHitsEveryStep() throws IOException {
        JobCache cache = read("warm-multi-stage.txt", LayerCache.USE);

        assertThat(cache.steps()).hasSize(6).allMatch(Step::hit);
    }

    /** The file of the first stage's COPY changed: the RUN before it still hits, everything after misses. */
    @Test
    void aChangedCopyMissesFromThereOn() throws IOException {
        JobCache cache = read("last-copy-changed-multi-stage.txt", LayerCache.USE);

        assertThat(cache.steps()).extracting(Step::hit).containsExactly(true, false, false, false, false, false);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void theImagesUsedAreTheCachedOnesAndTheStagesLaterStagesNamed() throws IOException {
        CacheSteps steps = new CacheSteps(line -> {});
        lines("last-copy-changed-multi-stage.txt").forEach(steps);

        assertThat(steps.usedImages())
                .containsExactlyInAnyOrder(
                        "e2e469d1b895b947b57960f5430c1ad2f2386d3cb488facf2f3f6ace332452f8",
                        "23af8baf0efcba6f20e6b3c37d6f64220e4385bf78b5ce5f71fc4d139825f9ed");
    }

    @Test
    void everyLineGoesOnToTheLogUnchanged() throws IOException {
        List<String> seen = new ArrayList<>();
        CacheSteps steps = new CacheSteps(seen::add);
        lines("warm-multi-stage.txt").forEach(steps);

        assertThat(seen).isEqualTo(lines("warm-multi-stage.txt"));
    }

    @Test
    void singleStageStepsAreNumberedAsBuildahNumbersThem() {
        CacheSteps steps = new CacheSteps(line -> {});
        List.of(
                        "STEP 1/3: FROM 127.0.0.1:5000/archfarm/busybox",
                        "STEP 2/3: RUN make",
                        "--> Using cache " + "a".repeat(64),
                        "STEP 3/3: COPY app /app",
                        "COMMIT")
                .forEach(steps);

        assertThat(steps.toCache(LayerCache.USE, "s", UnaryOperator.identity()).steps())
                .containsExactly(new Step("2/3", "RUN make", true), new Step("3/3", "COPY app /app", false));
    }

    /** The instruction is shown as the log shows it (secrets redacted) and at most 200 characters long. */
    @Test
    void instructionsAreRedactedAndCapped() {
        CacheSteps steps = new CacheSteps(line -> {});
        steps.accept("STEP 2/2: RUN echo s3cr3t " + "x".repeat(300));

        Step step = steps.toCache(LayerCache.REFRESH, "s", text -> text.replace("s3cr3t", "***"))
                .steps()
                .getFirst();

        assertThat(step.instruction())
                .startsWith("RUN echo *** xxx")
                .hasSize(CacheSteps.MAX_INSTRUCTION)
                .endsWith("…");
    }

    @Test
    void aBuildWithoutTheCacheHasOnlyMisses() {
        CacheSteps steps = new CacheSteps(line -> {});
        List.of("STEP 1/2: FROM scratch", "STEP 2/2: COPY a /a", "COMMIT").forEach(steps);

        JobCache cache = steps.toCache(LayerCache.OFF, "adhoc/linux-amd64/1", UnaryOperator.identity());

        assertThat(cache.steps()).containsExactly(new Step("2/2", "COPY a /a", false));
        assertThat(cache.layerCache()).isEqualTo("OFF");
    }

    private static JobCache read(String capture, LayerCache layerCache) throws IOException {
        CacheSteps steps = new CacheSteps(line -> {});
        lines(capture).forEach(steps);
        return steps.toCache(layerCache, "team-a/linux-amd64/1", UnaryOperator.identity());
    }

    static List<String> lines(String capture) throws IOException {
        try (InputStream in = CacheStepsTest.class.getResourceAsStream("/layer-cache/" + capture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
