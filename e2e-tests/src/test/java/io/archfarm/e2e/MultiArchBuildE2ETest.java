package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.RequiredTools;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A farm of one native worker (this machine's linux/amd64) and one that emulates linux/arm64 and linux/s390x with
 * qemu, driven through the portal's API and checked in the registry and the database.
 */
class MultiArchBuildE2ETest {

    private static final Map<String, String> UNAME =
            Map.of("linux/amd64", "x86_64", "linux/arm64", "aarch64", "linux/s390x", "s390x");
    private static final Map<String, String> MORE_UNAME = Map.of("linux/arm/v7", "armv7l", "linux/ppc64le", "ppc64le");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "multi-arch",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", Farm.WorkerSpec.DETECTED, 2)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void buildsThreePlatformsNativelyAndUnderEmulationIntoOneManifestList() throws Exception {
        String repository = farm.git()
                .createRepository("uname", Map.of("Containerfile", farm.fromBaseImage() + "RUN uname -m > /arch\n"));
        String image = farm.registry() + "/e2e/uname";
        String id = farm.portal()
                .submitAccepted(request(repository, image, List.copyOf(UNAME.keySet()), List.of("latest", "1.0")));

        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

        assertThat(build.path("status").asString())
                .as("build %s: %s", id, build)
                .isEqualTo("SUCCEEDED");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("mode").asString())
                .isEqualTo("NATIVE");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("worker").asString())
                .isEqualTo("native-1");
        for (String emulated : List.of("linux/arm64", "linux/s390x")) {
            assertThat(BuildAwait.platform(build, emulated).path("mode").asString())
                    .as(emulated)
                    .isEqualTo("EMULATED");
            assertThat(BuildAwait.platform(build, emulated).path("worker").asString())
                    .as(emulated)
                    .isEqualTo("emulated-1");
        }
        for (String platform : UNAME.keySet()) {
            assertThat(BuildAwait.platform(build, platform).path("isolation").asString())
                    .as("%s ran its RUN steps in a network namespace of its own, the farm's default", platform)
                    .isEqualTo("netns, egress none");
        }

        RegistryClient registry = farm.registryClient();
        String repositoryPath = "e2e/uname";
        RegistryClient.Manifest latest = registry.manifest(repositoryPath, "latest");
        RegistryClient.Manifest oneDotZero = registry.manifest(repositoryPath, "1.0");
        assertThat(latest.mediaType()).isEqualTo(RegistryClient.OCI_INDEX);
        assertThat(latest.digest()).isEqualTo(latest.computedDigest()).isEqualTo(oneDotZero.digest());
        assertThat(latest.json().path("mediaType").asString()).isEqualTo(RegistryClient.OCI_INDEX);

        Map<String, String> indexDigests = new HashMap<>();
        for (JsonNode entry : latest.json().path("manifests")) {
            JsonNode platform = entry.path("platform");
            indexDigests.put(
                    platform.path("os").asString() + "/"
                            + platform.path("architecture").asString(),
                    entry.path("digest").asString());
        }
        assertThat(indexDigests).containsOnlyKeys(UNAME.keySet());

        for (Map.Entry<String, String> platform : UNAME.entrySet()) {
            String digest = indexDigests.get(platform.getKey());
            assertThat(BuildAwait.platform(build, platform.getKey())
                            .path("digest")
                            .asString())
                    .as("API digest of %s", platform.getKey())
                    .isEqualTo(digest);
            assertThat(registry.readFile(repositoryPath, digest, "/arch"))
                    .as("/arch in the %s image", platform.getKey())
                    .hasValueSatisfying(arch -> assertThat(arch.trim()).isEqualTo(platform.getValue()));
        }

        assertThat(build.path("manifestList").path("digest").asString()).isEqualTo(latest.digest());
        assertDatabaseAgrees(id, latest.digest(), indexDigests);
    }

    /**
     * emulated-1 runs a build's arm64 and s390x jobs at the same time, and every stage of the Containerfile starts
     * {@code FROM} the same tag. Had the two jobs one image store, each pull of the tag would take the name from the
     * other platform's image and the other job would fail with "image not known" (2 of 8 such builds did).
     */
    @Test
    void twoPlatformsBuiltAtOnceOnOneWorkerEachGetTheirOwnBaseImage() throws Exception {
        String repository = farm.git()
                .createRepository("many-stages", Map.of("Containerfile", manyStagesFromOneTag(8), "hello", "hello\n"));
        List<String> platforms = List.of("linux/arm64", "linux/s390x");
        int builds = 4;
        int overlapping = 0;
        for (int i = 1; i <= builds; i++) {
            String id = farm.portal()
                    .submitAccepted(request(
                            repository, farm.registry() + "/e2e/many-stages", platforms, List.of("round-" + i)));

            JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

            assertThat(build.path("status").asString())
                    .as("build %d: %s", i, build)
                    .isEqualTo("SUCCEEDED");
            JsonNode arm64 = BuildAwait.platform(build, "linux/arm64");
            JsonNode s390x = BuildAwait.platform(build, "linux/s390x");
            assertThat(List.of(
                            arm64.path("worker").asString(),
                            s390x.path("worker").asString()))
                    .containsOnly("emulated-1");
            if (ranAtTheSameTime(arm64, s390x)) {
                overlapping++;
            }
            for (JsonNode job : List.of(arm64, s390x)) {
                String platform = job.path("platform").asString();
                assertThat(farm.registryClient()
                                .readFile("e2e/many-stages", job.path("digest").asString(), "/arch"))
                        .as("build %d: /arch in the %s image", i, platform)
                        .hasValue(UNAME.get(platform) + "\n");
            }
        }
        assertThat(overlapping)
                .as("builds whose two jobs ran at the same time; without that nothing is shown")
                .isGreaterThanOrEqualTo(builds / 2);
    }

    private static boolean ranAtTheSameTime(JsonNode first, JsonNode second) {
        Instant firstStart = Instant.parse(first.path("startedAt").asString());
        Instant firstEnd = Instant.parse(first.path("finishedAt").asString());
        Instant secondStart = Instant.parse(second.path("startedAt").asString());
        Instant secondEnd = Instant.parse(second.path("finishedAt").asString());
        return firstStart.isBefore(secondEnd) && secondStart.isBefore(firstEnd);
    }

    /** Stages {@code FROM <base> AS sN} copying a file each, then {@code FROM <base>} gathering them and the arch. */
    private static String manyStagesFromOneTag(int stages) {
        StringBuilder containerfile = new StringBuilder();
        for (int stage = 1; stage <= stages; stage++) {
            containerfile
                    .append(farm.fromBaseImage().replace("\n", " AS s" + stage + "\n"))
                    .append("COPY hello /from-stage-")
                    .append(stage)
                    .append('\n');
        }
        containerfile.append(farm.fromBaseImage());
        for (int stage = 1; stage <= stages; stage++) {
            containerfile
                    .append("COPY --from=s")
                    .append(stage)
                    .append(" /from-stage-")
                    .append(stage)
                    .append(" /from-stage-")
                    .append(stage)
                    .append('\n');
        }
        return containerfile.append("RUN uname -m > /arch\n").toString();
    }

    private static void assertDatabaseAgrees(String buildId, String indexDigest, Map<String, String> indexDigests) {
        UUID build = UUID.fromString(buildId);
        FarmDatabase db = farm.database();
        assertThat(db.query("select digest from manifest_lists where build_id = ?", build))
                .extracting(row -> row.get("digest"))
                .containsExactly(indexDigest);
        Map<String, Object> entries = new HashMap<>();
        db.query(
                        "select e.platform, e.digest from manifest_list_entries e join manifest_lists m "
                                + "on m.id = e.manifest_list_id where m.build_id = ?",
                        build)
                .forEach(row -> entries.put((String) row.get("platform"), row.get("digest")));
        assertThat(entries).isEqualTo(new HashMap<String, Object>(indexDigests));
        Map<String, Object> jobs = new HashMap<>();
        db.query("select platform, digest from platform_jobs where build_id = ?", build)
                .forEach(row -> jobs.put((String) row.get("platform"), row.get("digest")));
        assertThat(jobs).isEqualTo(new HashMap<String, Object>(indexDigests));
    }

    /**
     * emulated-1 is started as {@code ./archfarm up} starts it, without a platform list: it offers every platform
     * whose qemu binfmt_misc entry is enabled, so linux/arm/v7 and linux/ppc64le build from the base image and
     * linux/riscv64 (which Debian 12 has no busybox for) builds from scratch.
     */
    @Test
    void theEmulatingWorkerOffersEveryPlatformItsEnabledQemuEntriesRun() {
        JsonNode worker = farm.portal()
                .workers()
                .valueStream()
                .filter(w -> w.path("id").asString().equals("emulated-1"))
                .findFirst()
                .orElseThrow();
        assertThat(worker.path("emulatedPlatforms")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .as("emulated-1: %s", worker)
                .contains("linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x");

        String repository = farm.git()
                .createRepository(
                        "more-arches", Map.of("Containerfile", farm.fromBaseImage() + "RUN uname -m > /arch\n"));
        String id = farm.portal()
                .submitAccepted(request(
                        repository,
                        farm.registry() + "/e2e/more-arches",
                        List.copyOf(MORE_UNAME.keySet()),
                        List.of("latest")));
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        for (Map.Entry<String, String> platform : MORE_UNAME.entrySet()) {
            JsonNode job = BuildAwait.platform(build, platform.getKey());
            assertThat(job.path("mode").asString()).isEqualTo("EMULATED");
            assertThat(farm.registryClient()
                            .readFile("e2e/more-arches", job.path("digest").asString(), "/arch"))
                    .as("/arch in the %s image", platform.getKey())
                    .hasValue(platform.getValue() + "\n");
        }

        RequiredTools.requireEnabledBinfmt("qemu-riscv64");
        String scratch = farm.git()
                .createRepository(
                        "riscv64", Map.of("Containerfile", "FROM scratch\nCOPY hello /hello\n", "hello", "hello\n"));
        JsonNode riscv = BuildAwait.untilEnded(
                farm.portal(),
                farm.portal()
                        .submitAccepted(request(
                                scratch,
                                farm.registry() + "/e2e/riscv64",
                                List.of("linux/riscv64"),
                                List.of("latest"))),
                BUILD_TIMEOUT);
        assertThat(riscv.path("status").asString()).as("build %s", riscv).isEqualTo("SUCCEEDED");
        RegistryClient.Manifest image = farm.registryClient()
                .manifest(
                        "e2e/riscv64",
                        BuildAwait.platform(riscv, "linux/riscv64")
                                .path("digest")
                                .asString());
        String configDigest = image.json().path("config").path("digest").asString();
        byte[] config = farm.registryClient().blob("e2e/riscv64", configDigest);
        assertThat(Http.json(config).path("architecture").asString()).isEqualTo("riscv64");
    }

    @Test
    void aFailingRunStepFailsTheBuildWithItsExitCodeAndPublishesNothing() {
        String repository = farm.git()
                .createRepository(
                        "failing",
                        Map.of("Containerfile", farm.fromBaseImage() + "RUN echo about to fail && exit 3\n"));
        String id = farm.portal()
                .submitAccepted(request(
                        repository, farm.registry() + "/e2e/failing", List.of("linux/amd64"), List.of("latest")));

        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("FAILED");
        JsonNode job = BuildAwait.platform(build, "linux/amd64");
        assertThat(job.path("status").asString()).isEqualTo("FAILED");
        assertThat(job.path("error").asString() + " / " + build.path("error").asString())
                .as("the reason names the exit code")
                .containsPattern("(code|status) 3\\b");
        assertThat(farm.portal().logs(id, "linux/amd64")).contains("about to fail");
        assertThat(farm.registryClient().tags("e2e/failing")).isEmpty();
    }

    @Test
    void anUnknownPlatformIsRefusedWithAProblemNamingIt() {
        PortalClient.Answer answer = farm.portal()
                .submit(request(
                        farm.git().createRepository("unknown-platform", Map.of("Containerfile", farm.fromBaseImage())),
                        farm.registry() + "/e2e/unknown",
                        List.of("linux/amd64", "linux/mips128"),
                        List.of("latest")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("detail").asString()).contains("linux/mips128");
        assertThat(farm.database().query("select id from builds where image = ?", farm.registry() + "/e2e/unknown"))
                .isEmpty();
    }

    private static Map<String, Object> request(
            String repository, String image, List<String> platforms, List<String> tags) {
        return Map.of("repository", repository, "ref", "main", "image", image, "platforms", platforms, "tags", tags);
    }
}
