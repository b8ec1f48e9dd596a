package io.archfarm.worker.build;

import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of each isolation level on the demo build (examples/hello), per platform job: scripts/isolation-benchmark.sh
 * runs it (its name matches neither the unit nor the integration tests, so the suite never does). Each level gets
 * a worker of its own (work directory, image stores); one job per level and platform warms the stores (the base
 * image pull), then archfarm.bench.runs rounds alternate the levels, so a slow minute of the machine hits all alike.
 */
class IsolationBenchmark {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");

    @TempDir
    Path dir;

    @Test
    void costOfEachLevel() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry", "ip", "nft", "runc");
        int runs = Integer.getInteger("archfarm.bench.runs", 5);
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            DemoBench demo = DemoBench.prepare(dir, registry);

            Map<String, JobRunner> runners = new LinkedHashMap<>();
            for (RunIsolation isolation :
                    List.of(RunIsolation.host(), netns(EgressPolicy.NONE), netns(EgressPolicy.OUTSIDE))) {
                runners.put(isolation.describe(), runner(isolation, registry));
            }
            Map<String, List<Long>> millis = new LinkedHashMap<>();
            for (int round = 0; round <= runs; round++) {
                for (var runner : runners.entrySet()) {
                    for (String platform : PLATFORMS) {
                        long took = demo.build(runner.getValue(), platform);
                        if (round > 0) {
                            millis.computeIfAbsent(runner.getKey() + "|" + platform, k -> new ArrayList<>())
                                    .add(took);
                        }
                    }
                }
            }
            report(millis, runs, sandboxMillis(runs * 4));
        }
    }

    /** What a sandbox alone costs, made and removed with nothing in it: median ms per policy. */
    private Map<String, Long> sandboxMillis(int times) throws Exception {
        Map<String, Long> medians = new LinkedHashMap<>();
        for (EgressPolicy egress : List.of(EgressPolicy.NONE, EgressPolicy.OUTSIDE)) {
            RunIsolation isolation = netns(egress);
            NetworkSandboxes sandboxes = new NetworkSandboxes(isolation, dir.resolve("sandboxes"));
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                long started = System.nanoTime();
                try (NetworkSandbox ignored = sandboxes.open()) {
                    // made: that is what is timed
                }
                took.add((System.nanoTime() - started) / 1_000_000);
            }
            medians.put(isolation.describe(), median(took.stream().sorted().toList()));
        }
        return medians;
    }

    private static RunIsolation netns(EgressPolicy egress) {
        return new RunIsolation(
                IsolationLevel.NETNS,
                egress,
                null,
                List.of(),
                List.of(),
                List.of(),
                "10.231.0.0/16",
                "runc",
                Path.of("/run/archfarm/sandboxes"));
    }

    private JobRunner runner(RunIsolation isolation, LocalRegistry registry) throws Exception {
        Path workDir = dir.resolve("worker-" + UUID.randomUUID());
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        return new JobRunner(
                new BuildSettings(
                        "bench",
                        workDir,
                        workDir.resolve("storage"),
                        Duration.ofSeconds(60),
                        true,
                        true,
                        List.of(registry.address()),
                        containersHome),
                isolation);
    }

    private static void report(Map<String, List<Long>> millis, int runs, Map<String, Long> sandboxes) throws Exception {
        StringBuilder out = new StringBuilder("isolation levels on examples/hello, ms per platform job (fetch, build, "
                + "push), median of " + runs + " [min..max]; delta: median minus the host level's\n");
        out.append(String.format("%-26s %-12s %8s %16s %8s%n", "level", "platform", "median", "range", "delta"));
        for (var entry : millis.entrySet()) {
            String[] key = entry.getKey().split("\\|");
            List<Long> sorted = entry.getValue().stream().sorted().toList();
            long median = median(sorted);
            long host = median(millis.get(RunIsolation.host().describe() + "|" + key[1]).stream()
                    .sorted()
                    .toList());
            out.append(String.format(
                    "%-26s %-12s %8d %16s %+8d%n",
                    key[0], key[1], median, "[" + sorted.getFirst() + ".." + sorted.getLast() + "]", median - host));
        }
        sandboxes.forEach((level, median) -> out.append(String.format(
                "sandbox alone (make and remove, no build), %s: %d ms median of %d%n", level, median, runs * 4)));
        System.out.print(out);
        Path target = Path.of(System.getProperty("archfarm.bench.out", "target/isolation-benchmark.txt"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, out);
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
