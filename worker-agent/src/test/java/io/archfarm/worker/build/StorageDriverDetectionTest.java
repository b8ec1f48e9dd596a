package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import io.archfarm.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageDriverDetectionTest {

    private static final String WITH_OVERLAY = "nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\toverlay\n";
    private static final String WITHOUT_OVERLAY = "nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\toverlayish\n";

    @TempDir
    Path storageRoot;

    final List<Path> probed = new ArrayList<>();

    @Test
    void autoTakesOverlayWhenTheKernelHasItAndBuildahOpensAStore() {
        assertThat(StorageDriverDetection.choose("auto", WITH_OVERLAY, storageRoot, probe(true)))
                .isEqualTo(StorageDriver.OVERLAY);
        assertThat(probed)
                .as("probed in a scratch directory on the storage root's filesystem")
                .singleElement()
                .satisfies(scratch -> {
                    assertThat(scratch.getParent()).isEqualTo(storageRoot);
                    assertThat(scratch.getFileName().toString()).startsWith("overlay-probe-");
                    assertThat(scratch).as("the scratch directory is gone").doesNotExist();
                });
    }

    @Test
    void autoFallsBackToVfsWhenTheProbeFails() {
        assertThat(StorageDriverDetection.choose("auto", WITH_OVERLAY, storageRoot, probe(false)))
                .isEqualTo(StorageDriver.VFS);
    }

    @Test
    void autoTakesVfsWithoutProbingWhenTheKernelHasNoOverlay() {
        assertThat(StorageDriverDetection.choose("auto", WITHOUT_OVERLAY, storageRoot, probe(true)))
                .isEqualTo(StorageDriver.VFS);
        assertThat(StorageDriverDetection.choose("AUTO", "", storageRoot, probe(true)))
                .isEqualTo(StorageDriver.VFS);
        assertThat(probed).isEmpty();
    }

    @Test
    void vfsIsTakenAsConfiguredWithoutAProbe() {
        assertThat(StorageDriverDetection.choose("vfs", WITH_OVERLAY, storageRoot, probe(true)))
                .isEqualTo(StorageDriver.VFS);
        assertThat(probed).isEmpty();
    }

    @Test
    void aForcedOverlayThatDoesNotWorkStopsTheWorker() {
        assertThat(StorageDriverDetection.choose("overlay", WITH_OVERLAY, storageRoot, probe(true)))
                .isEqualTo(StorageDriver.OVERLAY);
        assertThatThrownBy(() -> StorageDriverDetection.choose("overlay", WITH_OVERLAY, storageRoot, probe(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archfarm.worker.storage-driver=overlay");
        assertThatThrownBy(() -> StorageDriverDetection.choose("overlay", WITHOUT_OVERLAY, storageRoot, probe(true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownDriverIsRefused() {
        assertThatThrownBy(() -> StorageDriverDetection.choose("btrfs", WITH_OVERLAY, storageRoot, probe(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, overlay or vfs");
    }

    /** The real probe on this machine, whose kernel has overlay and whose buildah runs as root. */
    @Test
    void thisHostRunsOverlay() {
        RequiredTools.require("buildah");
        assertThat(StorageDriverDetection.choose("auto", storageRoot)).isEqualTo(StorageDriver.OVERLAY);
    }

    @Test
    void aStoreKeepsOneDirectoryPerDriverAndDropsItsVfsFilesWhenItMovesToOverlay() throws Exception {
        Path vfsRoot;
        try (var store = new ImageStores(storageRoot, StorageDriver.VFS).lease("adhoc", Platform.LINUX_ARM64)) {
            vfsRoot = store.root();
            Files.createDirectories(vfsRoot.resolve("vfs/dir/layer"));
            var access = new BuildCommands.RegistryAccess(Optional.empty(), Optional.empty());
            assertThat(store.commands()
                            .build(
                                    Platform.LINUX_ARM64,
                                    Path.of("Containerfile"),
                                    Map.of(),
                                    LayerCache.USE,
                                    Path.of("iid"),
                                    Path.of("."),
                                    access))
                    .containsSequence("--storage-driver", "vfs");
        }
        try (var store = new ImageStores(storageRoot, StorageDriver.OVERLAY).lease("adhoc", Platform.LINUX_ARM64)) {
            assertThat(store.root()).isNotEqualTo(vfsRoot).hasFileName("overlay-root");
            assertThat(store.runRoot()).hasFileName("overlay-run");
            assertThat(vfsRoot).as("the vfs files of the store").doesNotExist();
            assertThat(store.commands().removeContainers()).containsSequence("--storage-driver", "overlay");
        }
    }

    private StorageDriverDetection.OverlayProbe probe(boolean works) {
        return scratch -> {
            probed.add(scratch);
            return works;
        };
    }
}
