package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Platform;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vfs against overlay on the demo build (examples/hello), per platform job, under the default isolation (netns,
 * RUN steps through runc; arm64 and s390x under qemu): scripts/storage-benchmark.sh runs it (its name matches
 * neither the unit nor the integration tests, so the suite never does). Each driver gets a worker of its own; the
 * first job per driver and platform is the cold one (it pulls the base image), then archfarm.bench.runs rounds
 * alternate the drivers. At the end, the disk each platform's store takes ({@code du}).
 */
class StorageDriverBenchmark {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final List<StorageDriver> DRIVERS = List.of(StorageDriver.VFS, StorageDriver.OVERLAY);

    @TempDir
    Path dir;

    @Test
    void vfsAgainstOverlay() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry", "ip", "nft", "runc", "du");
        int runs = Integer.getInteger("archfarm.bench.runs", 5);
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            DemoBench demo = DemoBench.prepare(dir, registry);

            Map<StorageDriver, Path> storages = new LinkedHashMap<>();
            Map<StorageDriver, JobRunner> runners = new LinkedHashMap<>();
            for (StorageDriver driver : DRIVERS) {
                Path workDir = dir.resolve("worker-" + driver.flag());
                storages.put(driver, workDir.resolve("storage"));
                runners.put(driver, runner(workDir, driver, registry));
            }
            Map<String, Long> cold = new LinkedHashMap<>();
            Map<String, List<Long>> warm = new LinkedHashMap<>();
            for (int round = 0; round <= runs; round++) {
                for (StorageDriver driver : DRIVERS) {
                    for (String platform : PLATFORMS) {
                        long took = demo.build(runners.get(driver), platform);
                        String key = driver.flag() + "|" + platform;
                        if (round == 0) {
                            cold.put(key, took);
                        } else {
                            warm.computeIfAbsent(key, k -> new ArrayList<>()).add(took);
                        }
                    }
                }
            }
            report(cold, warm, storages, runs);
        }
    }

    private JobRunner runner(Path workDir, StorageDriver driver, LocalRegistry registry) throws Exception {
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        RunIsolation isolation = new RunIsolation(
                IsolationLevel.NETNS,
                EgressPolicy.NONE,
                null,
                List.of(),
                List.of(),
                List.of(),
                "10.231.0.0/16",
                "runc",
                Path.of("/run/archfarm/sandboxes"));
        return new JobRunner(
                new BuildSettings(
                                "bench-" + driver.flag(),
                                workDir,
                                workDir.resolve("storage"),
                                Duration.ofSeconds(60),
                                true,
                                true,
                                List.of(registry.address()),
                                containersHome)
                        .withStorageDriver(driver),
                isolation);
    }

    private static void report(
            Map<String, Long> cold, Map<String, List<Long>> warm, Map<StorageDriver, Path> storages, int runs)
            throws Exception {
        StringBuilder out = new StringBuilder("storage drivers on examples/hello (isolation netns, egress none), ms "
                + "per platform job (fetch, build, push): cold = the first job (pulls the base image), warm = median "
                + "of " + runs + " [min..max]; store = du of the platform's store after the last job\n");
        out.append(String.format(
                "%-8s %-12s %6s %8s %14s %10s%n", "driver", "platform", "cold", "warm", "range", "store"));
        for (var entry : warm.entrySet()) {
            String[] key = entry.getKey().split("\\|");
            List<Long> sorted = entry.getValue().stream().sorted().toList();
            StorageDriver driver = StorageDriver.valueOf(key[0].toUpperCase(Locale.ROOT));
            Path store = storages.get(driver)
                    .resolve(JobAssignment.NO_TEAM_SCOPE)
                    .resolve(Platform.parse(key[1]).key());
            out.append(String.format(
                    "%-8s %-12s %6d %8d %14s %10s%n",
                    key[0],
                    key[1],
                    cold.get(entry.getKey()),
                    median(sorted),
                    "[" + sorted.getFirst() + ".." + sorted.getLast() + "]",
                    du(store)));
        }
        System.out.print(out);
        Path target = Path.of(System.getProperty("archfarm.bench.out", "target/storage-benchmark.txt"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, out);
    }

    /** What the disk holds for the store, as {@code du -sh} counts it (hard links once). */
    private static String du(Path store) throws Exception {
        Process du = new ProcessBuilder("du", "-sh", store.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(du.waitFor(60, TimeUnit.SECONDS)).as("du answers").isTrue();
        return new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")[0];
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
