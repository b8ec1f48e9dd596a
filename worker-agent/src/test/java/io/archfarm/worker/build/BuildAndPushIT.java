package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import io.archfarm.worker.testing.SilentGitServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The build side on the real tools: git, buildah, skopeo and a real registry, no broker. */
class BuildAndPushIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static GitRepository repository;
    static String commit;
    static JobRunner runner;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void realToolsAndARegistry() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        repository = GitRepository.create(dir.resolve("repo"));
        commit = repository.commit(Map.of(
                "image/Containerfile", "FROM scratch\nARG GREETING\nCOPY hello.txt /hello.txt\n",
                "image/hello.txt", "hello from archfarm\n",
                "derived/Containerfile", "ARG BASE\nFROM ${BASE}\nCOPY extra.txt /extra.txt\n",
                "derived/extra.txt", "more\n"));
        Path workDir = dir.resolve("worker");
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        runner = new JobRunner(new BuildSettings(
                        "it-worker",
                        workDir,
                        workDir.resolve("storage"),
                        Duration.ofSeconds(60),
                        true,
                        true,
                        List.of(registry.address()),
                        containersHome)
                // the silent git server and the closed port 127.0.0.1:1 of the tests below are on loopback
                .withAllowedHosts(List.of("127.0.0.1"), List.of("127.0.0.1:1"))
                // as a worker starts: overlay on this host (StorageDriverDetectionTest), vfs where it is not
                .withStorageDriver(StorageDriverDetection.choose("auto", workDir.resolve("storage"))));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void buildsAndPushesByDigestWithoutMovingATag() throws Exception {
        JobFinished finished = run(job("linux/amd64", "image/Containerfile", "demo/hello"));

        assertThat(finished.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(finished.digest()).startsWith("sha256:");
        assertThat(finished.mediaType()).isEqualTo(LocalRegistry.OCI_MANIFEST);
        assertThat(finished.workerId()).isEqualTo("it-worker");
        assertThat(finished.buildMillis()).isPositive();
        assertThat(finished.phases().fetch()).as("fetch ms").isPositive();
        assertThat(finished.phases().build()).as("build ms").isPositive();
        assertThat(finished.phases().push()).as("push ms").isPositive();
        assertThat(finished.phases().pull()).as("FROM scratch pulls nothing").isZero();
        assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.startedAt());

        HttpResponse<byte[]> manifest =
                registry.get("/v2/demo/hello/manifests/" + finished.digest(), LocalRegistry.OCI_MANIFEST);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(finished.digest());
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue(finished.mediaType());
        assertThat((long) manifest.body().length).isEqualTo(finished.size());
        assertThat(architectureOf("demo/hello", manifest.body())).isEqualTo("amd64");
        assertNoTags("demo/hello");

        assertThat(log())
                .contains("fetching " + repository.url() + " at " + commit)
                .contains("pushing " + registry.address() + "/demo/hello@" + finished.digest());
        assertThat(chunks).extracting(JobLogChunk::seq).startsWith(0L).isSorted();
        assertThat(Files.list(dir.resolve("worker/jobs")))
                .as("job directories are cleaned up")
                .isEmpty();
    }

    /**
     * The machines of this farm have overlay (buildah as root, ext4): the worker detects it and its stores use it.
     * The pulled base image stays in the store, so its layer is there to see.
     */
    @Test
    void buildsInAnOverlayStoreWhereTheKernelHasOverlay() throws Exception {
        JobFinished base = run(job("linux/amd64", "image/Containerfile", "demo/overlay-base"));
        assertThat(base.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        JobAssignment template = job("linux/amd64", "Containerfile", "demo/overlay");
        JobFinished finished = run(new JobAssignment(
                template.messageId(),
                template.jobId(),
                template.buildId(),
                1,
                template.platform(),
                template.repository(),
                "main",
                commit,
                false,
                "derived/Containerfile",
                "derived",
                Map.of("BASE", registry.address() + "/demo/overlay-base@" + base.digest()),
                template.image(),
                600));

        assertThat(finished.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        Path store = dir.resolve("worker/storage/adhoc/linux-amd64/1");
        try (var layers = Files.list(store.resolve("overlay-root/overlay"))) {
            assertThat(layers.filter(layer -> Files.isDirectory(layer.resolve("diff"))))
                    .as("overlay layer diffs")
                    .isNotEmpty();
        }
        assertThat(store.resolve("root")).as("no vfs store beside it").doesNotExist();
    }

    @Test
    void pullsTheBaseImageFromAPlainHttpRegistryAndPassesBuildArguments() throws Exception {
        JobFinished base = run(job("linux/amd64", "image/Containerfile", "demo/base"));
        assertThat(base.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        String baseImage = registry.address() + "/demo/base@" + base.digest();

        JobAssignment template = job("linux/amd64", "Containerfile", "demo/derived");
        JobFinished derived = run(new JobAssignment(
                template.messageId(),
                template.jobId(),
                template.buildId(),
                1,
                template.platform(),
                template.repository(),
                "main",
                commit,
                false,
                "derived/Containerfile",
                "derived",
                Map.of("BASE", baseImage),
                template.image(),
                600));

        assertThat(derived.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(derived.phases().pull())
                .as("the pull of the base image is its own phase")
                .isPositive();
        HttpResponse<byte[]> manifest =
                registry.get("/v2/demo/derived/manifests/" + derived.digest(), LocalRegistry.OCI_MANIFEST);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(manifest.body()).path("layers").size())
                .as("the base layer and one more")
                .isEqualTo(2);
    }

    /** A static binary is the only thing a FROM scratch image can RUN; qemu's user-mode one fails on a missing file. */
    @Test
    void aFailingRunStepIsNamedWithItsExitCodeAndTheLastLines() throws Exception {
        Path staticBinary = Path.of("/usr/bin/qemu-x86_64-static");
        assertThat(staticBinary)
                .as("a static binary to RUN in a FROM scratch image (Debian package " + "qemu-user-static)")
                .isExecutable();
        repository.copyIn("failing/q", staticBinary);
        String failingCommit = repository.commit(
                Map.of("failing/Containerfile", "FROM scratch\nCOPY q /q\nRUN [\"/q\", \"/nonexistent\"]\n"));
        JobAssignment template = job("linux/amd64", "failing/Containerfile", "demo/failing");
        JobFinished finished = run(new JobAssignment(
                template.messageId(),
                template.jobId(),
                template.buildId(),
                1,
                template.platform(),
                template.repository(),
                "main",
                failingCommit,
                false,
                "failing/Containerfile",
                "failing",
                Map.of(),
                template.image(),
                600));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.exitCode()).isEqualTo(1);
        assertThat(finished.error())
                .startsWith("step failed: RUN /q /nonexistent exited with code 1; buildah exited with code 1")
                .contains("STEP 3/3");
        assertThat(log()).contains("step failed: RUN /q /nonexistent exited with code 1");
    }

    @Test
    void aSubmoduleIsInTheBuildContextOnlyWhenTheProjectAsksForIt() throws Exception {
        GitRepository library = GitRepository.create(dir.resolve("library"));
        String libraryCommit = library.commit(Map.of("lib.txt", "from the submodule\n"));
        GitRepository app = GitRepository.create(dir.resolve("app-with-submodule"));
        app.commit(Map.of("Containerfile", "FROM scratch\nCOPY vendor/lib/lib.txt /lib.txt\n"));
        String appCommit = app.declareSubmodule("vendor/lib", library.url(), libraryCommit);

        JobFinished withSubmodules = run(appJob(app, appCommit, true, "demo/with-submodules"));
        assertThat(withSubmodules.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(log()).contains("fetched submodule vendor/lib at " + libraryCommit);

        JobFinished without = run(appJob(app, appCommit, false, "demo/without-submodules"));
        assertThat(without.outcome()).as(log()).isEqualTo(JobOutcome.FAILED);
        assertThat(log()).contains("the repository has submodules (vendor/lib) that were not fetched");
    }

    @Test
    void buildsForArm64WithoutEmulationFromScratch() throws Exception {
        JobFinished finished = run(job("linux/arm64", "image/Containerfile", "demo/hello-arm"));

        assertThat(finished.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        HttpResponse<byte[]> manifest =
                registry.get("/v2/demo/hello-arm/manifests/" + finished.digest(), LocalRegistry.OCI_MANIFEST);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(architectureOf("demo/hello-arm", manifest.body())).isEqualTo("arm64");
        assertNoTags("demo/hello-arm");
    }

    @Test
    void aMissingContainerfileFailsSayingWhichAndInWhichCommit() {
        JobFinished finished = run(job("linux/amd64", "nope/Containerfile", "demo/nope"));

        String expected = "Containerfile 'nope/Containerfile' not found in commit " + commit.substring(0, 7);
        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error()).isEqualTo(expected);
        assertThat(finished.digest()).isNull();
        assertThat(log()).contains(expected);
    }

    @Test
    void anUnknownCommitIsAFetchFailureWithGitsReason() {
        JobAssignment job = job("linux/amd64", "image/Containerfile", "demo/hello");
        JobFinished finished = run(new JobAssignment(
                job.messageId(),
                job.jobId(),
                job.buildId(),
                job.attempt(),
                job.platform(),
                job.repository(),
                "main",
                "0".repeat(40),
                false,
                job.containerfile(),
                job.context(),
                job.buildArgs(),
                job.image(),
                job.timeoutSeconds()));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error()).contains("commit " + "0".repeat(40) + " is not in main");
    }

    @Test
    void aRegistryThatIsNotThereIsTheFarmsTroubleForNowAndTheAttemptIsRetried() {
        JobFinished finished = run(jobPushingTo("linux/amd64", "image/Containerfile", "127.0.0.1:1/demo/hello"));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(finished.error())
                .startsWith("registry 127.0.0.1:1 failed the push of 127.0.0.1:1/demo/hello"
                        + " ('connection refused'): the attempt is retried");
    }

    @Test
    void theJobTimeoutKillsWhateverRunsAndFailsTheJob() throws Exception {
        try (SilentGitServer silent = new SilentGitServer()) {
            JobAssignment job = job("linux/amd64", "image/Containerfile", "demo/slow");
            JobFinished finished = run(new JobAssignment(
                    job.messageId(),
                    job.jobId(),
                    job.buildId(),
                    1,
                    job.platform(),
                    silent.url(),
                    "main",
                    commit,
                    false,
                    job.containerfile(),
                    job.context(),
                    job.buildArgs(),
                    job.image(),
                    2));

            assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
            assertThat(finished.error()).isEqualTo("timed out after 2 s");
            assertThat(Duration.between(finished.startedAt(), finished.finishedAt()))
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aHangingGitServerIsAnInfrastructureFailureAfterTheGitTimeout() throws Exception {
        JobRunner impatient = new JobRunner(new BuildSettings(
                        "it-worker",
                        dir.resolve("impatient"),
                        dir.resolve("impatient/storage"),
                        Duration.ofSeconds(1),
                        true,
                        false,
                        List.of(),
                        dir.resolve("worker/registries.conf"))
                .withAllowedHosts(List.of("127.0.0.1"), List.of()));
        try (SilentGitServer silent = new SilentGitServer()) {
            JobAssignment job = job("linux/amd64", "image/Containerfile", "demo/slow");
            JobAssignment hanging = new JobAssignment(
                    job.messageId(),
                    job.jobId(),
                    job.buildId(),
                    1,
                    job.platform(),
                    silent.url(),
                    "main",
                    commit,
                    false,
                    job.containerfile(),
                    job.context(),
                    job.buildArgs(),
                    job.image(),
                    600);
            JobFinished finished = impatient.run(
                    hanging,
                    ExecutionMode.NATIVE,
                    new JobControl(job.jobId(), 1),
                    new JobLog(job.jobId(), 1, chunks::add));

            assertThat(finished.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
            assertThat(finished.error())
                    .isEqualTo(
                            "git server " + GitHosts.serverOf(silent.url()).orElseThrow() + " failed the git fetch of "
                                    + silent.url() + " ('timed out after 1 s'): the attempt is retried");
        }
    }

    @Test
    void fileUrlsAreRefusedUnlessAllowed() {
        JobRunner strict = new JobRunner(new BuildSettings(
                "it-worker",
                dir.resolve("strict"),
                dir.resolve("strict/storage"),
                Duration.ofSeconds(60),
                false,
                false,
                List.of(),
                dir.resolve("worker/registries.conf")));
        JobAssignment job = job("linux/amd64", "image/Containerfile", "demo/hello");
        JobFinished finished = strict.run(
                job, ExecutionMode.NATIVE, new JobControl(job.jobId(), 1), new JobLog(job.jobId(), 1, chunks::add));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error()).contains("'" + repository.url() + "'", "archfarm.git.allow-file-urls=false");
    }

    private JobFinished run(JobAssignment job) {
        return runner.run(
                job,
                ExecutionMode.NATIVE,
                new JobControl(job.jobId(), job.attempt()),
                new JobLog(job.jobId(), job.attempt(), chunks::add));
    }

    private JobAssignment job(String platform, String containerfile, String repositoryName) {
        return jobPushingTo(platform, containerfile, registry.address() + "/" + repositoryName);
    }

    private JobAssignment jobPushingTo(String platform, String containerfile, String image) {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                platform,
                repository.url(),
                "main",
                commit,
                false,
                containerfile,
                "image",
                Map.of("GREETING", "hi"),
                image,
                600);
    }

    private JobAssignment appJob(GitRepository app, String appCommit, boolean fetchSubmodules, String image) {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                app.url(),
                "main",
                appCommit,
                fetchSubmodules,
                "Containerfile",
                ".",
                Map.of(),
                registry.address() + "/" + image,
                600);
    }

    private String log() {
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }

    private String architectureOf(String repositoryName, byte[] manifest) throws Exception {
        String configDigest =
                JSON.readTree(manifest).path("config").path("digest").asString();
        HttpResponse<byte[]> config = registry.get("/v2/" + repositoryName + "/blobs/" + configDigest, null);
        assertThat(config.statusCode()).isEqualTo(200);
        return JSON.readTree(config.body()).path("architecture").asString();
    }

    private void assertNoTags(String repositoryName) throws Exception {
        HttpResponse<byte[]> tags = registry.get("/v2/" + repositoryName + "/tags/list", null);
        JsonNode body = JSON.readTree(tags.body());
        if (tags.statusCode() == 200) {
            assertThat(body.path("tags").isNull()
                            || body.path("tags").isMissingNode()
                            || body.path("tags").isEmpty())
                    .as("tags of %s: %s", repositoryName, body)
                    .isTrue();
        } else {
            assertThat(tags.statusCode())
                    .as("tags list of %s: %s", repositoryName, body)
                    .isEqualTo(404);
            assertThat(body.toString()).contains("NAME_UNKNOWN");
        }
    }
}
