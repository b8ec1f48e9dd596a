package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.messages.JobAssignment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoresTest {

    private static final Platform ARM_V7 = Platform.parse("linux/arm/v7");
    private static final String TEAM = "team-a";

    @TempDir
    Path storageRoot;

    @Test
    void eachPlatformHasAStoreOfItsOwn() throws Exception {
        ImageStores stores = new ImageStores(storageRoot);
        try (var arm64 = stores.lease(TEAM, Platform.LINUX_ARM64);
                var s390x = stores.lease(TEAM, Platform.LINUX_S390X);
                var armV7 = stores.lease(TEAM, ARM_V7)) {
            assertThat(List.of(arm64.name(), s390x.name(), armV7.name()))
                    .containsExactly("team-a/linux-arm64/1", "team-a/linux-s390x/1", "team-a/linux-arm-v7/1");
            assertThat(arm64.root()).isEqualTo(storageRoot.resolve("team-a/linux-arm64/1/root"));
            assertThat(arm64.runRoot()).isEqualTo(storageRoot.resolve("team-a/linux-arm64/1/run"));
            assertThat(arm64.commands()).isEqualTo(new BuildCommands(arm64.root(), arm64.runRoot()));
        }
    }

    /** A team's build never sees the layers or the pulls of another team's builds: each has stores of its own. */
    @Test
    void eachTeamHasStoresOfItsOwn() throws Exception {
        ImageStores stores = new ImageStores(storageRoot);
        try (var first = stores.lease("5d2a7e3c-1b4f-4e8a-b6c9-0f3d2e1a4b57", Platform.LINUX_ARM64);
                var second = stores.lease(JobAssignment.NO_TEAM_SCOPE, Platform.LINUX_ARM64)) {
            assertThat(first.name()).isEqualTo("5d2a7e3c-1b4f-4e8a-b6c9-0f3d2e1a4b57/linux-arm64/1");
            assertThat(second.name()).isEqualTo("adhoc/linux-arm64/1");
            assertThat(first.root())
                    .isEqualTo(storageRoot.resolve("5d2a7e3c-1b4f-4e8a-b6c9-0f3d2e1a4b57/linux-arm64/1/root"));
        }
    }

    /** The scope comes in a message: it names one directory under the storage root, never a path. */
    @Test
    void aScopeThatIsNoPlainNameFailsTheJob() {
        ImageStores stores = new ImageStores(storageRoot);
        for (String scope : List.of("../other-team", "a/b", "", "Team", "-x", ".", "a".repeat(65))) {
            assertThatThrownBy(() -> stores.lease(scope, Platform.LINUX_ARM64))
                    .as(scope)
                    .isInstanceOf(JobFailure.class)
                    .hasMessageContaining("cache scope")
                    .extracting(e -> ((JobFailure) e).outcome())
                    .isEqualTo(JobOutcome.FAILED);
        }
        assertThat(storageRoot).isEmptyDirectory();
    }

    @Test
    void storesOfTheLayoutBeforeScopesAreNeitherUsedNorListed() throws Exception {
        Files.createDirectories(storageRoot.resolve("linux-arm64/1/overlay-root"));
        ImageStores stores = new ImageStores(storageRoot);
        try (var store = stores.lease(TEAM, Platform.LINUX_ARM64)) {
            assertThat(store.name()).isEqualTo("team-a/linux-arm64/1");
        }
        assertThat(stores.storeDirectories()).containsExactly(storageRoot.resolve("team-a/linux-arm64/1"));
    }

    @Test
    void twoJobsOfOnePlatformAtOnceGetTwoStoresAndTheNextJobTakesTheFirstAgain() throws Exception {
        ImageStores stores = new ImageStores(storageRoot);
        var first = stores.lease(TEAM, Platform.LINUX_ARM64);
        var second = stores.lease(TEAM, Platform.LINUX_ARM64);
        assertThat(second.name()).isEqualTo("team-a/linux-arm64/2");
        first.close();

        try (var third = stores.lease(TEAM, Platform.LINUX_ARM64)) {
            assertThat(third.name())
                    .as("the store whose base images are already there")
                    .isEqualTo("team-a/linux-arm64/1");
        }
        second.close();
    }

    @Test
    void aDiscardedStoreIsEmptiedBeforeTheNextJobMayTakeIt() throws Exception {
        ImageStores stores = new ImageStores(storageRoot);
        try (var broken = stores.lease(TEAM, Platform.LINUX_ARM64)) {
            Files.createDirectories(broken.root().resolve("vfs/dir/layer"));
            Files.createDirectories(broken.runRoot());
            broken.discard();
        }
        try (var next = stores.lease(TEAM, Platform.LINUX_ARM64)) {
            assertThat(next.name()).isEqualTo("team-a/linux-arm64/1");
            assertThat(next.root()).doesNotExist();
            assertThat(next.runRoot()).doesNotExist();
        }
    }

    @Test
    void manySlotsLeasingAtOnceNeverShareAStore() throws Exception {
        ImageStores stores = new ImageStores(storageRoot);
        int slots = 8;
        CyclicBarrier together = new CyclicBarrier(slots);
        ExecutorService pool = Executors.newFixedThreadPool(slots);
        try {
            List<Future<ImageStores.ImageStore>> leases = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                leases.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return stores.lease(TEAM, Platform.LINUX_S390X);
                }));
            }
            List<ImageStores.ImageStore> held = new ArrayList<>();
            for (Future<ImageStores.ImageStore> lease : leases) {
                held.add(lease.get(10, TimeUnit.SECONDS));
            }
            Set<String> names = new HashSet<>();
            held.forEach(store -> names.add(store.name()));
            held.forEach(ImageStores.ImageStore::close);
            assertThat(names).hasSize(slots).contains("team-a/linux-s390x/1", "team-a/linux-s390x/" + slots);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Another process (another worker given the same storage root) holds store 1: this worker takes store 2. */
    @Test
    void aStoreLockedByAnotherProcessIsPassedOver() throws Exception {
        Path lockFile = Files.createDirectories(storageRoot.resolve("team-a/linux-arm64/1"))
                .resolve("lock");
        Process holder = holdLockInAnotherProcess(lockFile);
        try {
            try (var lease = new ImageStores(storageRoot).lease(TEAM, Platform.LINUX_ARM64)) {
                assertThat(lease.name()).isEqualTo("team-a/linux-arm64/2");
            }
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var lease = new ImageStores(storageRoot).lease(TEAM, Platform.LINUX_ARM64)) {
            assertThat(lease.name()).as("once the other process let go").isEqualTo("team-a/linux-arm64/1");
        }
    }

    @Test
    void twoPoolsOnOneRootInOneProcessDoNotShareAStore() throws Exception {
        try (var first = new ImageStores(storageRoot).lease(TEAM, Platform.LINUX_ARM64);
                var second = new ImageStores(storageRoot).lease(TEAM, Platform.LINUX_ARM64)) {
            assertThat(second.name()).isNotEqualTo(first.name());
        }
    }

    /** A second JVM that takes the same kind of lock as the worker (fcntl, through FileChannel) and keeps it. */
    private Process holdLockInAnotherProcess(Path lockFile) throws Exception {
        Path source = storageRoot.resolve("HoldLock.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                class HoldLock {
                    public static void main(String[] args) throws Exception {
                        try (var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                    StandardOpenOption.WRITE);
                                var lock = channel.lock()) {
                            System.out.println("locked");
                            Thread.sleep(60_000);
                        }
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(java.toString(), source.toString(), lockFile.toString())
                .redirectErrorStream(true)
                .start();
        try (var output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(output.readLine()).as("the other process took the lock").isEqualTo("locked");
        }
        return holder;
    }
}
