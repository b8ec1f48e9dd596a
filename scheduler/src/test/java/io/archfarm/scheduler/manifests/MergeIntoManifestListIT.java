package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.SchedulerIntegrationTest;
import io.archfarm.testing.LocalRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The merge against a real registry: the index the registry serves is the one the database records. */
@SchedulerIntegrationTest
class MergeIntoManifestListIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static LocalRegistry registry;
    /** The same storage, served in the registry's read-only mode: it serves the images and refuses every push. */
    private static LocalRegistry readOnly;

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws Exception {
        registry = LocalRegistry.start();
        readOnly = registry.readOnlyTwin();
        properties.add("archfarm.registry.insecure", () -> registry.address() + "," + readOnly.address());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (readOnly != null) {
            readOnly.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void allPlatformsSucceededGivesAnIndexUnderEveryTag() throws Exception {
        String amd64 = PushedImages.push(registry, "t/x", "amd64", null);
        String arm64 = PushedImages.push(registry, "t/x", "arm64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/arm64", "linux/amd64"),
                "NATIVE_ONLY",
                "ALL",
                registry.address() + "/t/x",
                List.of("1.0", "latest"));

        runAndSucceed(buildId, "linux/amd64", amd64);
        runAndSucceed(buildId, "linux/arm64", arm64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "SUCCEEDED"));
        Map<String, Object> list = farm.jdbc()
                .sql("select * from manifest_lists where build_id = :b")
                .param("b", buildId)
                .query()
                .singleRow();
        String digest = (String) list.get("digest");
        for (String reference : List.of("1.0", "latest", digest)) {
            HttpResponse<byte[]> served = manifest("t/x", reference, INDEX);
            assertThat(served.statusCode()).as("GET manifest " + reference).isEqualTo(200);
            assertThat(served.headers().firstValue("Docker-Content-Digest")).contains(digest);
            assertThat(new String(served.body())).isEqualTo(list.get("content"));
            assertThat(PushedImages.sha256(served.body())).isEqualTo(digest);
        }
        JsonNode index = JsonMapper.shared().readTree((String) list.get("content"));
        assertThat(index.get("mediaType").asString()).isEqualTo(INDEX);
        assertThat(index.get("manifests").values())
                .extracting(m -> m.get("platform").get("architecture").asString() + "="
                        + m.get("digest").asString())
                .containsExactly("amd64=" + amd64, "arm64=" + arm64);
        assertThat(index.get("annotations")
                        .get("org.opencontainers.image.revision")
                        .asString())
                .isEqualTo("c0ffee0000000000000000000000000000000000");
        long amd64Size = manifest("t/x", amd64, "application/vnd.oci.image.manifest.v1+json")
                .body()
                .length;
        assertThat(index.get("manifests").get(0).get("size").asLong()).isEqualTo(amd64Size);
        assertThat(farm.jdbc()
                        .sql("select platform || '=' || digest from manifest_list_entries"
                                + " where manifest_list_id = :l order by platform")
                        .param("l", list.get("id"))
                        .query(String.class)
                        .list())
                .containsExactly("linux/amd64=" + amd64, "linux/arm64=" + arm64);
        assertThat(list).containsEntry("media_type", INDEX);
        assertThat(farm.jdbc().sql("""
                        select platform || ' ' || (phases->>'queueWait' is not null)
                               || ' ' || ((phases->>'merge')::bigint >= 0) || ' ' || (phases->>'build' is not null)
                        from platform_jobs where build_id = :b order by platform""").param("b", buildId).query(String.class).list())
                .as("each platform has its share of the merge; a worker without phases leaves only the scheduler's")
                .containsExactly("linux/amd64 true true false", "linux/arm64 true true false");
    }

    @Test
    void partialPublishIndexesTheSuccessesAndAllPublishesNothing() throws Exception {
        String ppc = PushedImages.push(registry, "t/partial", "ppc64le", null);
        UUID partial = farm.requestBuild(
                List.of("linux/ppc64le", "linux/386"),
                "NATIVE_ONLY",
                "PARTIAL",
                registry.address() + "/t/partial",
                List.of("p1"));
        runAndSucceed(partial, "linux/ppc64le", ppc);
        runAndFail(partial, "linux/386", "RUN make exited with 2");

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(partial)).containsEntry("status", "PARTIAL"));
        JsonNode index =
                JsonMapper.shared().readTree(manifest("t/partial", "p1", INDEX).body());
        assertThat(index.get("manifests").values())
                .extracting(m -> m.get("digest").asString())
                .containsExactly(ppc);
        assertThat((String) farm.build(partial).get("error")).contains("linux/386 failed: RUN make exited with 2");

        String riscv = PushedImages.push(registry, "t/all", "riscv64", null);
        UUID all = farm.requestBuild(
                List.of("linux/riscv64", "linux/s390x"),
                "NATIVE_ONLY",
                "ALL",
                registry.address() + "/t/all",
                List.of("a1"));
        runAndSucceed(all, "linux/riscv64", riscv);
        runAndFail(all, "linux/s390x", "RUN make exited with 3");

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(all)).containsEntry("status", "FAILED"));
        assertThat(farm.build(all))
                .containsEntry("error", "platforms failed: linux/s390x failed: RUN make exited with 3");
        assertThat(manifest("t/all", "a1", INDEX).statusCode()).isEqualTo(404);
        assertThat(farm.jdbc()
                        .sql("select count(*) from manifest_lists where build_id = :b")
                        .param("b", all)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anImageTheRegistryDoesNotHaveFailsTheBuildWithTheReason() {
        UUID buildId = farm.requestBuild(
                List.of("linux/arm/v7"), "NATIVE_ONLY", "ALL", registry.address() + "/t/missing", List.of("m1"));
        runAndSucceed(buildId, "linux/arm/v7", "sha256:" + "e".repeat(64));

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat((String) farm.build(buildId).get("error"))
                .startsWith("could not read the linux/arm/v7 image from the registry: GET http://" + registry.address()
                        + "/v2/t/missing/manifests/sha256:eeee")
                .contains("404");
    }

    @Test
    void aRegistryThatRefusesTheManifestListFailsTheBuildAndMovesNoTag() throws Exception {
        String amd64 = PushedImages.push(registry, "t/refused", "amd64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/amd64"), "NATIVE_ONLY", "ALL", readOnly.address() + "/t/refused", List.of("r1"));
        runAndSucceed(buildId, "linux/amd64", amd64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat((String) farm.build(buildId).get("error"))
                .startsWith("registry refused the manifest list: ")
                .contains("answered 405");
        assertThat(readOnly.get("/v2/t/refused/manifests/r1", INDEX).statusCode())
                .isEqualTo(404);
        assertThat(farm.jdbc()
                        .sql("select count(*) from manifest_lists where build_id = :b")
                        .param("b", buildId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private void runAndSucceed(UUID buildId, String platform, String digest) {
        JobAssignment job = claimed(buildId, platform);
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        job.attempt(),
                        worker(platform),
                        JobOutcome.SUCCEEDED,
                        digest,
                        400,
                        "application/vnd.oci.image.manifest.v1+json",
                        null,
                        null,
                        Instant.now(),
                        Instant.now(),
                        1000));
    }

    private void runAndFail(UUID buildId, String platform, String error) {
        JobAssignment job = claimed(buildId, platform);
        farm.finished(job.jobId(), job.attempt(), worker(platform), JobOutcome.FAILED, error);
    }

    private static HttpResponse<byte[]> manifest(String name, String reference, String accept) throws Exception {
        return registry.get("/v2/" + name + "/manifests/" + reference, accept);
    }

    private JobAssignment claimed(UUID buildId, String platform) {
        farm.heartbeat(worker(platform), List.of(platform), List.of(), List.of());
        JobAssignment job = farm.takeAssignment(platform, ExecutionMode.NATIVE);
        assertThat(job.buildId()).isEqualTo(buildId);
        assertThat(farm.claim(job.jobId(), job.attempt(), worker(platform), ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        return job;
    }

    private static String worker(String platform) {
        return "w-" + platform.replace('/', '-');
    }
}
