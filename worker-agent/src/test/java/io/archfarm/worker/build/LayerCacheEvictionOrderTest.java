package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a store as buildah 1.28 left it ({@code layer-cache/images.json} and {@code layers.json}, trimmed to the fields
 * read): the busybox base image, the two-stage build of {@link CacheStepsTest} built twice with a different file for
 * the first stage's COPY, and two images of another Containerfile of which one lost its name.
 */
class LayerCacheEvictionOrderTest {

    private static final String BASE = "cc358821e9338d0d4c1f1b018f12298438b9cf8d610502475fd8df4fbf8bd433";
    private static final String RUN = "e2e469d1b895b947b57960f5430c1ad2f2386d3cb488facf2f3f6ace332452f8";
    private static final String FIRST_FINAL = "52c0b303b5f6b4d017eff16297f163637912b5e57e1b1b120712282bab144011";
    private static final String SECOND_FINAL = "01290649c7928e5eb3b9e63ebf75c5012124bf204d4f5bcd762b9e437b90784a";
    private static final String FIRST_ARG = "55870180b49ae35737bdae00b13c8e88bcaf80759a3dd36d38eb56af455c14e8";
    private static final String FIRST_COPY = "b485a14a33a4e71fb32cd4b00878d1744c6403329fa691a1feacdf76e222cab0";

    @TempDir
    Path store;

    StoreImages images;

    @BeforeEach
    void aStoreAsBuildahLeftIt() throws IOException {
        copy("images.json", store.resolve("overlay-root/overlay-images/images.json"));
        copy("layers.json", store.resolve("overlay-root/overlay-layers/layers.json"));
        images = StoreImages.read(store.resolve("overlay-root"), StorageDriver.OVERLAY);
    }

    @Test
    void onlyImagesNothingStandsOnAreLeaves() {
        assertThat(images.images()).hasSize(14);
        assertThat(images.leaves())
                .contains(FIRST_FINAL, SECOND_FINAL)
                .doesNotContain(BASE, RUN, FIRST_COPY)
                .as("the ARG step has the COPY's layer and came after it: the COPY is its parent")
                .doesNotContain(FIRST_ARG);
    }

    @Test
    void aBuildUsesItsImageAndEveryImageUnderIt() {
        assertThat(images.withImagesUnder(Set.of(FIRST_FINAL)))
                .contains(FIRST_FINAL, FIRST_COPY, RUN, BASE)
                .doesNotContain(SECOND_FINAL);
    }

    /** Without a record the leaves go in the order buildah made them; a recorded use keeps a leaf longer. */
    @Test
    void theLeastRecentlyUsedLeafGoesFirst() throws IOException {
        LayerCacheUse use = LayerCacheUse.of(store);
        assertThat(EvictLayerCache.lastUseOfLeaves(images, use).keySet())
                .containsSubsequence(FIRST_FINAL, SECOND_FINAL);

        use.used(Set.of(FIRST_FINAL), Instant.parse("2026-12-08T00:00:00Z"));
        use.save(images.images().keySet());

        assertThat(EvictLayerCache.lastUseOfLeaves(images, LayerCacheUse.of(store))
                        .keySet())
                .containsSubsequence(SECOND_FINAL, FIRST_FINAL)
                .last()
                .isEqualTo(FIRST_FINAL);
    }

    @Test
    void theRecordForgetsImagesTheStoreNoLongerHolds() throws IOException {
        LayerCacheUse use = LayerCacheUse.of(store);
        use.used(Set.of(FIRST_FINAL, "gone"), Instant.parse("2026-12-08T00:00:00Z"));
        use.save(images.images().keySet());

        assertThat(LayerCacheUse.of(store).lastUsed("gone")).isEmpty();
        assertThat(LayerCacheUse.of(store).lastUsed(FIRST_FINAL)).hasValue(Instant.parse("2026-12-08T00:00:00Z"));
    }

    @Test
    void anEmptyStoreHasNothingToEvict() throws IOException {
        StoreImages none = StoreImages.read(store.resolve("no-root"), StorageDriver.OVERLAY);
        assertThat(EvictLayerCache.lastUseOfLeaves(none, LayerCacheUse.of(store)))
                .isEmpty();
    }

    private static void copy(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = LayerCacheEvictionOrderTest.class.getResourceAsStream("/layer-cache/" + resource)) {
            Files.copy(in, target);
        }
    }
}
