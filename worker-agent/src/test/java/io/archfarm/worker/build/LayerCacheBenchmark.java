package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark on one worker: a Containerfile whose RUN burns 3 s of CPU, then a COPY of a file that the
 * second commit changes. Per platform (amd64 native, arm64 under qemu): the cold job, the warm job after the change,
 * and plain {@code buildah build --layers} plus {@code buildah push} doing the same two builds in a store of its
 * own; then what the cleanup the worker no longer runs after a cached job used to cost ({@code buildah rmi} of the
 * job's image and {@code buildah rm --all}). Run by hand ({@code -Dtest=LayerCacheBenchmark}); the name matches no
 * suite.
 */
class LayerCacheBenchmark {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");

    @TempDir
    Path dir;

    @Test
    void coldAgainstWarmAgainstPlainBuildah() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            ProbeNamespace.run(
                    Duration.ofMinutes(10),
                    Path.of("..")
                            .toAbsolutePath()
                            .normalize()
                            .resolve("scripts/base-image.sh")
                            .toString(),
                    registry.address(),
                    "archfarm/busybox");
            String containerfile = "FROM " + registry.address() + "/archfarm/busybox\n"
                    + "RUN end=$(( $(date +%s) + 3 )); while [ $(date +%s) -lt $end ]; do :; done\n"
                    + "COPY app.txt /app.txt\n";
            GitRepository repository = GitRepository.create(dir.resolve("repo"));
            String first = repository.commit(Map.of("Containerfile", containerfile, "app.txt", "one\n"));
            String second = repository.commit(Map.of("app.txt", "two\n"));
            Path workDir = dir.resolve("worker");
            Path containersHome = workDir.resolve("containers-home");
            RegistriesConf.write(containersHome, List.of(registry.address()));
            StorageDriver driver = StorageDriverDetection.choose("auto", workDir.resolve("storage"));
            JobRunner runner = new JobRunner(new BuildSettings(
                            "bench",
                            workDir,
                            workDir.resolve("storage"),
                            Duration.ofSeconds(600),
                            true,
                            true,
                            List.of(registry.address()),
                            containersHome)
                    .withStorageDriver(driver));
            List<String> out = new ArrayList<>();
            out.add("layer cache on one worker (" + driver.flag() + ", isolation host), ms: job = startedAt to "
                    + "finishedAt; phases fetch/pull/build/push");
            for (String platform : PLATFORMS) {
                String scope = "bench-" + platform.replace('/', '-');
                JobFinished cold = job(runner, repository, first, platform, scope, registry);
                JobFinished warm = job(runner, repository, second, platform, scope, registry);
                Path plainStore = dir.resolve("plain-" + scope);
                Path context = Files.createDirectories(dir.resolve("context-" + scope));
                Files.writeString(context.resolve("Containerfile"), containerfile);
                Files.writeString(context.resolve("app.txt"), "one\n");
                String pushTo = registry.address() + "/plain/" + scope + ":latest";
                long plainCold = plainBuild(driver, plainStore, platform, context, pushTo);
                Files.writeString(context.resolve("app.txt"), "two\n");
                long plainWarm = plainBuild(driver, plainStore, platform, context, pushTo);
                out.add(String.format(
                        "%-12s cold %6d (%s)  warm %6d (%s)  warm/cold %.2f  | buildah --layers cold "
                                + "%6d warm %6d  farm warm/buildah warm %.2f",
                        platform,
                        took(cold),
                        phases(cold),
                        took(warm),
                        phases(warm),
                        took(warm) / (double) took(cold),
                        plainCold,
                        plainWarm,
                        took(warm) / (double) plainWarm));
                Path storeDir = workDir.resolve("storage")
                        .resolve(scope)
                        .resolve(Platform.parse(platform).key())
                        .resolve("1");
                ImageStores.ImageStore store = new ImageStores(workDir.resolve("storage"), driver)
                        .tryLease(storeDir)
                        .orElseThrow();
                try (store) {
                    long rmAll = timed(store.commands().removeContainers());
                    String leaf = StoreImages.read(store.root(), driver)
                            .leaves()
                            .iterator()
                            .next();
                    long rmi = timed(store.commands().removeImage(leaf));
                    out.add(String.format(
                            "%-12s the cleanup no longer run after a cached job: buildah rm --all %d, "
                                    + "buildah rmi %d",
                            platform, rmAll, rmi));
                }
            }
            String report = String.join("\n", out) + "\n";
            System.out.print(report);
            Path target = Path.of(System.getProperty("archfarm.bench.out", "target/layer-cache-benchmark.txt"));
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, report);
        }
    }

    private static JobFinished job(
            JobRunner runner,
            GitRepository repository,
            String commit,
            String platform,
            String scope,
            LocalRegistry registry) {
        JobAssignment job = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                platform,
                repository.url(),
                "main",
                commit,
                false,
                "Containerfile",
                ".",
                Map.of(),
                registry.address() + "/bench/app",
                600,
                scope,
                LayerCache.USE);
        List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
        JobFinished finished = runner.run(
                job, ExecutionMode.NATIVE, new JobControl(job.jobId(), 1), new JobLog(job.jobId(), 1, chunks::add));
        assertThat(finished.outcome())
                .as(chunks.stream().map(JobLogChunk::text).collect(Collectors.joining()))
                .isEqualTo(JobOutcome.SUCCEEDED);
        return finished;
    }

    private static long took(JobFinished finished) {
        return Duration.between(finished.startedAt(), finished.finishedAt()).toMillis();
    }

    private static String phases(JobFinished finished) {
        var p = finished.phases();
        return p.fetch() + "/" + p.pull() + "/" + p.build() + "/" + p.push();
    }

    /** What a user does on one host: {@code buildah build --layers}, then {@code buildah push} of the tag. */
    private long plainBuild(StorageDriver driver, Path store, String platform, Path context, String pushTo)
            throws Exception {
        List<String> buildah = List.of(
                "buildah",
                "--storage-driver",
                driver.flag(),
                "--root",
                store.resolve("root").toString(),
                "--runroot",
                store.resolve("run").toString());
        List<String> build = new ArrayList<>(buildah);
        build.addAll(List.of(
                "build",
                "--isolation",
                "chroot",
                "--layers",
                "--tls-verify=false",
                "--platform",
                platform,
                "-t",
                pushTo,
                context.toString()));
        List<String> push = new ArrayList<>(buildah);
        push.addAll(List.of("push", "--tls-verify=false", pushTo));
        return timed(build) + timed(push);
    }

    private long timed(List<String> command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
