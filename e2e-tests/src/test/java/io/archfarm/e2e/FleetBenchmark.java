package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.testing.LocalRegistry;
import java.io.IOException;
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
import tools.jackson.databind.JsonNode;

/**
 * Figures for a fleet, not a test: scripts/fleet-benchmark.sh runs it (-Dtest=FleetBenchmark; the name keeps it out
 * of mvn verify). In one run, on this machine: the demo's 3-platform build with plain buildah (the peer), on the
 * loopback farm to a plain registry and to a registry with TLS and logins, and on a fleet whose workers are hosts
 * of their own (network namespaces, the broker over TLS, the registry with TLS and logins); and how long a worker
 * on a new host takes from its start to ONLINE. It prints medians and ranges of {@code archfarm.bench.runs} builds.
 */
class FleetBenchmark {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final String TEAM = "bench";
    private static final List<Farm.WorkerSpec> WORKERS = List.of(
            new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
            new Farm.WorkerSpec("emulated-1", "none", "linux/arm64,linux/s390x", 2));

    private final int runs = Integer.getInteger("archfarm.bench.runs", 3);
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();

    @Test
    void printsTheFigures() throws Exception {
        try (Farm loopback = Farm.start("bench-loopback", WORKERS)) {
            buildahPeer(loopback);
            loopback.copyBaseImageToSecured();
            project(loopback, "plain", loopback.registry(), null);
            project(loopback, "secured", loopback.securedRegistry().address(), loopback.securedRegistry());
            for (int run = 0; run < runs; run++) {
                record("loopback farm, plain http registry", build(loopback, "plain"));
                record("loopback farm, registry with TLS and logins", build(loopback, "secured"));
            }
        }
        try (Farm fleet = Farm.startFleet("bench-fleet", WORKERS, runs)) {
            project(fleet, "fleet", fleet.securedRegistry().address(), fleet.securedRegistry());
            for (int run = 0; run < runs; run++) {
                record("fleet: namespaced hosts, broker over TLS, registry with TLS and logins", build(fleet, "fleet"));
            }
            for (int run = 0; run < runs; run++) {
                String id = "new-host-" + run;
                long start = System.nanoTime();
                fleet.startFleetWorker(
                        new Farm.WorkerSpec(id, "linux/amd64", "none", 1),
                        WORKERS.size() + run + 1,
                        fleet.fleetUsers().worker().password());
                await(id + " ONLINE")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> fleet.portal().workerOnline(id));
                record("a worker on a new host: start to ONLINE", seconds(start));
            }
        }
        print();
    }

    /** The same build with plain buildah on this machine, one platform after another, then pushed: the peer. */
    private void buildahPeer(Farm farm) throws Exception {
        Path context = Files.createDirectories(Farm.workDir("bench-loopback").resolve("peer"));
        Files.writeString(context.resolve("Containerfile"), containerfile(farm));
        for (int run = 0; run < runs; run++) {
            Path storage = context.resolve("storage-" + run);
            List<String> buildah = List.of(
                    "buildah",
                    "--storage-driver",
                    "vfs",
                    "--root",
                    storage.resolve("root").toString(),
                    "--runroot",
                    storage.resolve("run").toString());
            long start = System.nanoTime();
            List<String> command = new ArrayList<>(buildah);
            command.addAll(List.of(
                    "build",
                    "--isolation",
                    "chroot",
                    "--tls-verify=false",
                    "--platform",
                    String.join(",", PLATFORMS),
                    "--manifest",
                    "localhost/bench-peer",
                    context.toString()));
            run(command);
            command = new ArrayList<>(buildah);
            command.addAll(List.of(
                    "manifest",
                    "push",
                    "--all",
                    "--tls-verify=false",
                    "localhost/bench-peer",
                    "docker://" + farm.registry() + "/bench/peer:" + run));
            run(command);
            record("plain buildah, sequential platforms, then push", seconds(start));
        }
    }

    private void project(Farm farm, String slug, String registry, LocalRegistry secured) {
        if (farm.portal()
                        .post("/api/v1/teams", Map.of("slug", TEAM, "name", "Bench"))
                        .status()
                != 201) {
            assertThat(farm.portal().get("/api/v1/teams/" + TEAM).path("slug").asString())
                    .isEqualTo(TEAM);
        }
        String from =
                secured == null ? farm.fromBaseImage() : "FROM " + secured.address() + "/" + Farm.BASE_IMAGE + "\n";
        E2eProjects projects = new E2eProjects(farm, TEAM);
        projects.create(
                slug,
                Map.of("Containerfile", containerfile(farm).replace(farm.fromBaseImage(), from)),
                PLATFORMS,
                registry + "/" + TEAM + "/" + slug);
        if (secured != null) {
            projects.setRobotCredential(slug, secured.security().password());
        }
    }

    /** The demo's Containerfile (examples/hello) on this farm's base image. */
    private static String containerfile(Farm farm) {
        try {
            String demo = Files.readString(Farm.repositoryRoot().resolve("examples/hello/Containerfile"));
            return farm.fromBaseImage() + demo.substring(demo.indexOf('\n') + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read examples/hello/Containerfile", e);
        }
    }

    private double build(Farm farm, String slug) {
        long start = System.nanoTime();
        String id = new E2eProjects(farm, TEAM).startBuild(slug);
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);
        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        return seconds(start);
    }

    private void record(String what, double seconds) {
        figures.computeIfAbsent(what, key -> new ArrayList<>()).add(seconds);
    }

    private void print() {
        double peer = median(figures.get("plain buildah, sequential platforms, then push"));
        StringBuilder table = new StringBuilder("\n===== fleet benchmark: " + runs + " run(s) each, "
                + Runtime.getRuntime().availableProcessors() + " cores =====\n");
        table.append(String.format(Locale.ROOT, "%-72s %8s %15s %9s%n", "what", "median", "range", "vs peer"));
        figures.forEach((what, values) -> table.append(String.format(
                Locale.ROOT,
                "%-72s %7.1fs %6.1f-%6.1fs %9s%n",
                what,
                median(values),
                values.stream().mapToDouble(d -> d).min().orElse(0),
                values.stream().mapToDouble(d -> d).max().orElse(0),
                what.startsWith("a worker") ? "" : String.format(Locale.ROOT, "%.2fx", median(values) / peer))));
        double plain = median(figures.get("loopback farm, plain http registry"));
        double tls = median(figures.get("loopback farm, registry with TLS and logins"));
        double fleet = median(figures.get("fleet: namespaced hosts, broker over TLS, registry with TLS and logins"));
        table.append(String.format(
                Locale.ROOT, "TLS and logins cost per build on loopback: %+.1fs (%.2fx)%n", tls - plain, tls / plain));
        table.append(String.format(
                Locale.ROOT,
                "the namespaced fleet next to the loopback farm (same registry):" + " %+.1fs (%.2fx)%n",
                fleet - tls,
                fleet / tls));
        System.out.println(table);
        try {
            Path out = Path.of(System.getProperty("archfarm.bench.out", "target/fleet-benchmark.txt"));
            Files.writeString(out, table.toString());
        } catch (IOException e) {
            System.err.println("cannot write the figures: " + e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
        }
    }
}
