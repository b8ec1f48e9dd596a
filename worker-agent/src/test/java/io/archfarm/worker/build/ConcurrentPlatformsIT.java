package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.ImageLayers;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One worker running an arm64 and an s390x job at the same moment, of a Containerfile whose many stages all start
 * {@code FROM} the same multi-arch tag. In one shared buildah store each pull of that tag takes the name from the
 * other platform's image, and the other job's next lookup fails with "image not known" (seen in 7 of 10 such pairs
 * on one store, with buildah alone). The stages copy nothing that needs a CPU of the platform, so no qemu is needed.
 */
class ConcurrentPlatformsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> PLATFORMS = Map.of("linux/arm64", "arm64", "linux/s390x", "s390x");
    private static final int ROUNDS = 6;
    private static final int STAGES = 8;

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static GitRepository repository;
    static String commit;
    static JobRunner worker;

    @BeforeAll
    static void aMultiArchBaseImageAndAManyStageContainerfile() throws Exception {
        RequiredTools.require("buildah", "git", "docker-registry");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        Path containersHome = dir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        String base = registry.address() + "/it/base:latest";
        pushBaseImage(base);
        repository = GitRepository.create(dir.resolve("repo"));
        commit = repository.commit(Map.of("Containerfile", manyStages(base), "hello", "hello\n"));
        Path workDir = dir.resolve("worker");
        worker = new JobRunner(new BuildSettings(
                        "it-worker",
                        workDir,
                        workDir.resolve("storage"),
                        Duration.ofSeconds(60),
                        true,
                        false,
                        List.of(registry.address()),
                        containersHome)
                .withStorageDriver(StorageDriverDetection.choose("auto", workDir.resolve("storage"))));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void twoPlatformsAtOnceOnOneWorkerEachBuildFromTheirOwnBaseImage() throws Exception {
        ExecutorService slots = Executors.newFixedThreadPool(PLATFORMS.size());
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                Map<String, Run> runs = runTogether(slots);
                assertOverlapped(runs, round);
                for (var run : runs.entrySet()) {
                    assertBuiltFromItsOwnPlatform(run.getKey(), run.getValue(), round);
                }
                assertThat(runs.values())
                        .extracting(Run::store)
                        .as("round %d: the stores the jobs used", round)
                        .doesNotHaveDuplicates();
            }
        } finally {
            slots.shutdownNow();
        }
    }

    /**
     * A store that lost the files of a layer (a disk fault, a hand that cleaned up too much) fails the job as the
     * worker's trouble, so the scheduler retries it, and is emptied, so that the retry does not meet it again.
     */
    @ParameterizedTest
    @EnumSource(StorageDriver.class)
    void aStoreThatLostALayerFailsTheJobAsTheWorkersTroubleAndTheNextJobStartsAfresh(StorageDriver driver)
            throws Exception {
        Path workDir = dir.resolve("broken-worker-" + driver.flag());
        Path storageRoot = workDir.resolve("storage");
        JobRunner brokenWorker = new JobRunner(new BuildSettings(
                        "it-worker",
                        workDir,
                        storageRoot,
                        Duration.ofSeconds(60),
                        true,
                        false,
                        List.of(registry.address()),
                        dir.resolve("containers-home"))
                .withStorageDriver(driver));
        assertThat(run(brokenWorker, "linux/arm64").finished().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        Path layers = driver == StorageDriver.VFS
                ? storageRoot.resolve("adhoc/linux-arm64/1/root/vfs/dir")
                : storageRoot.resolve("adhoc/linux-arm64/1/overlay-root/overlay");
        String content = driver == StorageDriver.VFS ? "base-arch" : "diff/base-arch";
        try (var layerDirs = Files.list(layers)) {
            List<Path> baseLayers = layerDirs
                    .filter(layer -> Files.exists(layer.resolve(content)))
                    .toList();
            assertThat(baseLayers).as("the base image's layer in %s", layers).hasSize(1);
            FileSystemUtils.deleteRecursively(baseLayers.getFirst());
        }

        Run broken = run(brokenWorker, "linux/arm64");

        assertThat(broken.finished().outcome()).as(broken.log()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(broken.finished().error()).startsWith("the worker's image store failed ('");
        assertThat(broken.log()).contains("image store adhoc/linux-arm64/1 is discarded");
        Run next = run(brokenWorker, "linux/arm64");
        assertThat(next.finished().outcome()).as(next.log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(next.store()).isEqualTo("image store adhoc/linux-arm64/1");
    }

    private record Run(JobFinished finished, String log) {
        String store() {
            return log.lines()
                    .filter(line -> line.startsWith("image store "))
                    .findFirst()
                    .orElse("(none)");
        }
    }

    private static Map<String, Run> runTogether(ExecutorService slots) throws Exception {
        CyclicBarrier together = new CyclicBarrier(PLATFORMS.size());
        Map<String, Future<Run>> running = new LinkedHashMap<>();
        for (String platform : PLATFORMS.keySet()) {
            running.put(platform, slots.submit(() -> {
                together.await(30, TimeUnit.SECONDS);
                return run(worker, platform);
            }));
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        for (var job : running.entrySet()) {
            runs.put(job.getKey(), job.getValue().get(5, TimeUnit.MINUTES));
        }
        return runs;
    }

    private static Run run(JobRunner worker, String platform) {
        List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
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
                registry.address() + "/it/app-" + PLATFORMS.get(platform),
                600);
        JobFinished finished = worker.run(
                job, ExecutionMode.EMULATED, new JobControl(job.jobId(), 1), new JobLog(job.jobId(), 1, chunks::add));
        return new Run(finished, chunks.stream().map(JobLogChunk::text).collect(Collectors.joining()));
    }

    /** The test proves something only if the two jobs really built at the same time. */
    private static void assertOverlapped(Map<String, Run> runs, int round) {
        List<JobFinished> finished = runs.values().stream().map(Run::finished).toList();
        JobFinished first = finished.get(0);
        JobFinished second = finished.get(1);
        assertThat(first.startedAt().isBefore(second.finishedAt())
                        && second.startedAt().isBefore(first.finishedAt()))
                .as("round %d: the jobs ran at the same time (%s)", round, finished)
                .isTrue();
    }

    private static void assertBuiltFromItsOwnPlatform(String platform, Run run, int round) throws Exception {
        String architecture = PLATFORMS.get(platform);
        assertThat(run.finished().outcome())
                .as("round %d, %s: %s\n%s", round, platform, run.finished().error(), run.log())
                .isEqualTo(JobOutcome.SUCCEEDED);
        String repositoryName = "it/app-" + architecture;
        JsonNode manifest = JSON.readTree(
                get("/v2/" + repositoryName + "/manifests/" + run.finished().digest(), LocalRegistry.OCI_MANIFEST));
        JsonNode config = JSON.readTree(get(
                "/v2/" + repositoryName + "/blobs/"
                        + manifest.path("config").path("digest").asString(),
                null));
        assertThat(config.path("architecture").asString())
                .as("round %d, %s: config", round, platform)
                .isEqualTo(architecture);
        List<ImageLayers.Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(new ImageLayers.Layer(
                    get(
                            "/v2/" + repositoryName + "/blobs/"
                                    + layer.path("digest").asString(),
                            null),
                    layer.path("mediaType").asString()));
        }
        assertThat(ImageLayers.file(layers, "/base-arch").map(bytes -> new String(bytes, StandardCharsets.UTF_8)))
                .as("round %d, %s: the base image in its layers", round, platform)
                .hasValue(architecture + "\n");
        for (int stage = 1; stage <= STAGES; stage++) {
            assertThat(ImageLayers.file(layers, "/from-stage-" + stage))
                    .as("round %d, %s: stage %d", round, platform, stage)
                    .isPresent();
        }
    }

    /** {@code FROM base AS s1 … FROM base AS sN}, then {@code FROM base} copying one file from every stage. */
    private static String manyStages(String base) {
        StringBuilder containerfile = new StringBuilder();
        IntStream.rangeClosed(1, STAGES)
                .forEach(stage -> containerfile
                        .append("FROM ")
                        .append(base)
                        .append(" AS s")
                        .append(stage)
                        .append("\nCOPY hello /from-stage-")
                        .append(stage)
                        .append('\n'));
        containerfile.append("FROM ").append(base).append('\n');
        IntStream.rangeClosed(1, STAGES)
                .forEach(stage -> containerfile
                        .append("COPY --from=s")
                        .append(stage)
                        .append(" /from-stage-")
                        .append(stage)
                        .append(" /from-stage-")
                        .append(stage)
                        .append('\n'));
        return containerfile.toString();
    }

    /** One FROM-scratch image per platform holding {@code /base-arch}, pushed as one index under {@code base}. */
    private static void pushBaseImage(String base) throws Exception {
        Path context = Files.createDirectories(dir.resolve("base"));
        for (String architecture : PLATFORMS.values()) {
            Files.writeString(context.resolve("arch-" + architecture), architecture + "\n");
        }
        Files.writeString(
                context.resolve("Containerfile"), "FROM scratch\nARG TARGETARCH\nCOPY arch-${TARGETARCH} /base-arch\n");
        List<String> buildah = List.of(
                "buildah",
                "--storage-driver",
                "vfs",
                "--root",
                dir.resolve("base-storage/root").toString(),
                "--runroot",
                dir.resolve("base-storage/run").toString());
        run(
                buildah,
                "build",
                "--isolation",
                "chroot",
                "--platform",
                String.join(",", PLATFORMS.keySet()),
                "--manifest",
                "localhost/it-base",
                context.toString());
        run(buildah, "manifest", "push", "--all", "--tls-verify=false", "localhost/it-base", "docker://" + base);
    }

    private static void run(List<String> buildah, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(buildah);
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s:\n%s", command, output).isZero();
    }

    private static byte[] get(String path, String accept) throws Exception {
        HttpResponse<byte[]> response = registry.get(path, accept);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }
}
