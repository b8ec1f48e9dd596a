package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code --no-cache} build replaces, on stores as buildah 1.28 left them (images.json, layers.json and each
 * image's history and diff ids from its config) for a Containerfile {@code FROM localhost/base}, {@code ARG X=0},
 * {@code RUN echo "x=$X $(date +%s%N)" > /x}, {@code COPY f /f}:
 * <ul>
 * <li>{@code refresh-other-args}: built with {@code X=a}, then {@code X=b} (its ARG step taken from the cache), then
 * {@code --no-cache} with {@code X=b};</li>
 * <li>{@code refresh-same-args}: built with {@code X=a}, then {@code --no-cache} with {@code X=a}.</li>
 * </ul>
 * In both, the next build with the cache took the older chain, step for step (measured).
 */
class RefreshedStepsTest {

    private static final String BASE = "4882e58982e570cd87c5ccbd9a9a586887140d0b8a5b289873ca577daf8d2ad2";
    private static final String OLD_ARG = "210cee3a8af2f653ea166780aea7a720b9a99f004d201922c536f8e2f3ab8f0b";
    private static final String OLD_RUN_A = "83c1577a3aed74ac93a1744940a37d5634ed06d8642c163da3ba241f78d055ab";
    private static final String OLD_COPY_A = "a3f9bffa612773c6713c2bef2a9af11fdc834e52a5e47daaab993b3526f72b37";
    private static final String OLD_RUN_B = "a06f9f825e26b3f7baa37410c05a38b799af0f822bf229dec3909ef60f8456a9";
    private static final String OLD_COPY_B = "a439d1d5618bb7d22e3dd65a611f5cc499e328b621529cf8034e1ba2a2b46af9";
    private static final String NEW_ARG = "6e916cd62caec4771b623f2720ea87bf605fb6e33333e2751a7379ad0754675a";
    private static final String NEW_RUN = "cf4d7841f6d78d494af3429fc2c6406c95804e824467ac6e6b1b9da59d61f0ae";
    private static final String NEW_COPY = "df6976934b2d9a090c2ce6813bb81d0bf0e87e9c0f3332371c4f4704e051402a";
    private static final Set<String> REFRESHED = Set.of(NEW_ARG, NEW_RUN, NEW_COPY);

    @TempDir
    Path store;

    @Test
    void aCachedStepIsTiedToTheImageUnderItByHistoryNotOnlyByLayer() throws IOException {
        Path root = store("refresh-other-args", Map.of());
        StoreImages images = StoreImages.read(root, StorageDriver.OVERLAY);
        Map<String, StoreImages.History> histories = images.histories(root, StorageDriver.OVERLAY);

        assertThat(images.images().get(OLD_ARG).layer())
                .as("an ARG makes no layer")
                .isEqualTo(images.images().get(NEW_ARG).layer())
                .isEqualTo(images.images().get(BASE).layer());
        assertThat(histories).hasSize(9);
        assertThat(histories.get(OLD_ARG).parent()).hasValue(histories.get(BASE));
        assertThat(histories.get(NEW_ARG).parent()).hasValue(histories.get(BASE));
        assertThat(histories.get(OLD_RUN_B).parent()).hasValue(histories.get(OLD_ARG));
        assertThat(histories.get(NEW_RUN).parent())
                .as("the same layer under it, another ARG image's history")
                .hasValue(histories.get(NEW_ARG))
                .isNotEqualTo(histories.get(OLD_RUN_B).parent());
        assertThat(histories
                        .get(NEW_RUN)
                        .step()
                        .orElseThrow()
                        .sameStep(histories.get(OLD_RUN_B).step().orElseThrow()))
                .as("X=b both times")
                .isTrue();
        assertThat(histories
                        .get(NEW_RUN)
                        .step()
                        .orElseThrow()
                        .sameStep(histories.get(OLD_RUN_A).step().orElseThrow()))
                .as("X=a is another step")
                .isFalse();
    }

    /**
     * The older ARG image is the refreshed ARG step on the same base image; both older chains stand on it, the one
     * with X=a too: as long as it stays, a build finds it first and never reaches the refreshed RUN.
     */
    @Test
    void theOlderChainsOnAReplacedStepGoChildrenFirst() throws IOException {
        RefreshedSteps.Replaced replaced = replaced("refresh-other-args", Map.of(), REFRESHED);

        assertThat(replaced.kept()).isEmpty();
        assertThat(replaced.remove()).containsExactlyInAnyOrder(OLD_ARG, OLD_RUN_A, OLD_COPY_A, OLD_RUN_B, OLD_COPY_B);
        assertThat(replaced.remove())
                .containsSubsequence(OLD_COPY_A, OLD_RUN_A, OLD_ARG)
                .containsSubsequence(OLD_COPY_B, OLD_RUN_B, OLD_ARG);
    }

    @Test
    void theOlderChainOfTheSameBuildArgsGoes() throws IOException {
        String oldArg = "4ab5d59f2818a89385a61f98f9c8b153385fd4e30e2912bb72b8c1026d069447";
        String oldRun = "fafc494ad237b93047e764a95f53de40c9e85efe76d19f97545efac98c0892b3";
        String oldCopy = "60f806d497709c7e46abae67c4336529ad4fa2baab4620c488b87a6c9efd6d95";
        Set<String> refreshed = Set.of(
                "a11ec51bb0400ce807a8cd28845f9fb53ba554e09f513b8145ae6eef7631f4dd",
                "deeaa9448f4a01dd0cf904ab84f66f583847f3ee7c65677424b7fc9953131f89",
                "86043c3cfd0f901bca0d5826ab109ba307149137b0c2d45a7343e35d5863093f");

        RefreshedSteps.Replaced replaced = replaced("refresh-same-args", Map.of(), refreshed);

        assertThat(replaced.remove()).containsExactly(oldCopy, oldRun, oldArg);
    }

    /** A named image is no cache: the replaced step it stands on stays, with all between them. */
    @Test
    void aReplacedStepANamedImageStandsOnStays() throws IOException {
        RefreshedSteps.Replaced replaced =
                replaced("refresh-other-args", Map.of(OLD_COPY_A, "localhost/kept:1"), REFRESHED);

        assertThat(replaced.kept()).containsExactly(OLD_ARG);
        assertThat(replaced.remove()).isEmpty();
    }

    /** A first build with --no-cache replaces nothing, and the base image under it is never a candidate. */
    @Test
    void withoutOlderStepsNothingGoes() throws IOException {
        Path root = store("refresh-other-args", Map.of());
        StoreImages images = StoreImages.read(root, StorageDriver.OVERLAY);
        Map<String, StoreImages.History> histories = new HashMap<>(images.histories(root, StorageDriver.OVERLAY));
        histories.keySet().retainAll(Set.of(BASE, NEW_ARG, NEW_RUN, NEW_COPY));

        RefreshedSteps.Replaced replaced = RefreshedSteps.replaced(Set.of(BASE), images, histories);

        assertThat(replaced.remove()).isEmpty();
        assertThat(replaced.kept()).isEmpty();
    }

    /**
     * The same instructions on another base image (its tag moved) are no replaced step:
     * buildah would not take them.
     */
    @Test
    void stepsOnAnotherBaseImageStay() {
        StoreImages.History oldBase = history(List.of(entry("FROM old", false, 1)), List.of("sha256:old"));
        StoreImages.History newBase = history(List.of(entry("FROM new", false, 2)), List.of("sha256:new"));
        StoreImages.History oldRun = history(
                List.of(entry("FROM old", false, 1), entry("RUN make", false, 3)),
                List.of("sha256:old", "sha256:made1"));
        StoreImages.History newRun = history(
                List.of(entry("FROM new", false, 2), entry("RUN make", false, 4)),
                List.of("sha256:new", "sha256:made2"));
        StoreImages images = images("old-base", "new-base", "old-run", "new-run");

        RefreshedSteps.Replaced replaced = RefreshedSteps.replaced(
                Set.of("old-base", "old-run"),
                images,
                Map.of("old-base", oldBase, "new-base", newBase, "old-run", oldRun, "new-run", newRun));

        assertThat(replaced.remove()).isEmpty();
    }

    /**
     * A base image the build pulled (named) can extend the history of an image in the store by the same instruction
     * as an older cached step (it was built from the same lines elsewhere): it is no step the build made, and
     * replaces nothing.
     */
    @Test
    void aPulledImageReplacesNothing() {
        StoreImages.History debian = history(List.of(entry("FROM debian", false, 1)), List.of("sha256:debian"));
        StoreImages.History cached = history(
                List.of(entry("FROM debian", false, 1), entry("RUN make", false, 2)),
                List.of("sha256:debian", "sha256:made1"));
        StoreImages.History pulled = history(
                List.of(entry("FROM debian", false, 1), entry("RUN make", false, 3)),
                List.of("sha256:debian", "sha256:made2"));

        RefreshedSteps.Replaced replaced = RefreshedSteps.replaced(
                Set.of("debian-base", "cached"),
                images("debian-base", "cached", "pulled-base"),
                Map.of("debian-base", debian, "cached", cached, "pulled-base", pulled));

        assertThat(replaced.remove()).isEmpty();
    }

    /** {@code FROM scratch}: the first step stands on no image, and an older one of the same step is replaced. */
    @Test
    void aFirstStepOnScratchIsReplacedToo() {
        StoreImages.History older = history(List.of(entry("COPY file:abc in /", false, 1)), List.of("sha256:one"));
        StoreImages.History newer = history(List.of(entry("COPY file:abc in /", false, 2)), List.of("sha256:two"));
        StoreImages.History olderOther =
                history(List.of(entry("COPY file:def in /", false, 1)), List.of("sha256:three"));

        RefreshedSteps.Replaced replaced = RefreshedSteps.replaced(
                Set.of("older", "other"),
                images("older", "newer", "other"),
                Map.of("older", older, "newer", newer, "other", olderOther));

        assertThat(replaced.remove()).containsExactly("older");
    }

    private static StoreImages.History.Entry entry(String createdBy, boolean emptyLayer, long second) {
        return new StoreImages.History.Entry(createdBy, emptyLayer, "", "", Instant.ofEpochSecond(second));
    }

    private static StoreImages.History history(List<StoreImages.History.Entry> entries, List<String> diffIds) {
        return new StoreImages.History(entries, diffIds);
    }

    private static StoreImages images(String... ids) {
        Map<String, StoreImages.Image> images = new HashMap<>();
        for (String id : ids) {
            images.put(id, new StoreImages.Image(id, "layer-" + id, Instant.EPOCH, id.endsWith("base")));
        }
        return new StoreImages(images, Map.of());
    }

    private RefreshedSteps.Replaced replaced(String fixture, Map<String, String> names, Set<String> refreshed)
            throws IOException {
        Path root = store(fixture, names);
        StoreImages images = StoreImages.read(root, StorageDriver.OVERLAY);
        Set<String> before = new HashSet<>(images.images().keySet());
        before.removeAll(refreshed);
        return RefreshedSteps.replaced(before, images, images.histories(root, StorageDriver.OVERLAY));
    }

    /** The fixture laid out as containers/storage keeps it, with {@code names} given to some images. */
    private Path store(String fixture, Map<String, String> names) throws IOException {
        Path root = store.resolve("overlay-root");
        Path imagesDir = Files.createDirectories(root.resolve("overlay-images"));
        String imagesJson = resource(fixture + "/images.json");
        for (var name : names.entrySet()) {
            imagesJson = imagesJson.replace(
                    "\"id\": \"" + name.getKey() + "\",",
                    "\"id\": \"" + name.getKey() + "\", \"names\": [\"" + name.getValue() + "\"],");
        }
        Files.writeString(imagesDir.resolve("images.json"), imagesJson);
        Files.createDirectories(root.resolve("overlay-layers"));
        Files.writeString(root.resolve("overlay-layers/layers.json"), resource(fixture + "/layers.json"));
        for (String id : StoreImages.read(root, StorageDriver.OVERLAY).images().keySet()) {
            String key = Base64.getEncoder().encodeToString(("sha256:" + id).getBytes(StandardCharsets.UTF_8));
            Files.writeString(
                    Files.createDirectories(imagesDir.resolve(id)).resolve("=" + key),
                    resource(fixture + "/" + id + ".json"));
        }
        return root;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RefreshedStepsTest.class.getResourceAsStream("/layer-cache/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
