package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.DrainWorker;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobCache;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobPhases;
import io.archfarm.model.messages.JobsWaiting;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.model.messages.WorkerTools;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The records cross the broker as JSON: each must come back equal to what was sent. */
class MessagesJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void jobAssignmentRoundTrips() {
        var assignment = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                2,
                "linux/arm64",
                "git://127.0.0.1/hello.git",
                "main",
                "0123456789abcdef0123456789abcdef01234567",
                true,
                "Containerfile",
                ".",
                Map.of("GREETING", "hi"),
                "127.0.0.1:5000/demo/hello",
                3600);
        assertThat(roundTrip(assignment)).isEqualTo(assignment);
    }

    /** A scheduler from before the field existed sends no fetchSubmodules: the worker fetches none. */
    @Test
    void aJobAssignmentWithoutFetchSubmodulesFetchesNone() {
        String older = """
                {"messageId":"6f1c1c52-3a4e-4f2b-9a53-6c1e0f5d9b10","jobId":"0b9e4c1a-8d2f-4c61-9f1e-2a7d5c3b4e21",
                 "buildId":"5d2a7e3c-1b4f-4e8a-b6c9-0f3d2e1a4b57","attempt":1,"platform":"linux/arm64",
                 "repository":"https://git.example/hello.git","ref":"main",
                 "commit":"0123456789abcdef0123456789abcdef01234567","containerfile":"Containerfile","context":".",
                 "buildArgs":{},"image":"127.0.0.1:5000/demo/hello","timeoutSeconds":3600}""";

        JobAssignment assignment = json.readValue(older, JobAssignment.class);

        assertThat(assignment.fetchSubmodules()).isFalse();
        assertThat(assignment.commit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    }

    @Test
    void aJobAssignmentCarriesItsCacheScopeAndWhatToDoWithTheCache() {
        var assignment = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/s390x",
                "git://127.0.0.1/hello.git",
                "main",
                "0123456789abcdef0123456789abcdef01234567",
                false,
                "Containerfile",
                ".",
                Map.of(),
                "127.0.0.1:5000/demo/hello",
                3600,
                "5d2a7e3c-1b4f-4e8a-b6c9-0f3d2e1a4b57",
                LayerCache.REFRESH);
        assertThat(roundTrip(assignment)).isEqualTo(assignment);
    }

    /** A scheduler from before the layer cache: the job uses none, in the scope of builds of no team. */
    @Test
    void aJobAssignmentWithoutCacheFieldsUsesNoCache() {
        String older = json.writeValueAsString(new JobAssignment(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        1,
                        "linux/arm64",
                        "git://127.0.0.1/hello.git",
                        "main",
                        "0123456789abcdef0123456789abcdef01234567",
                        false,
                        "Containerfile",
                        ".",
                        Map.of(),
                        "127.0.0.1:5000/demo/hello",
                        3600))
                .replaceAll(",\"(cacheScope|layerCache)\":\"[^\"]*\"", "");
        assertThat(older).doesNotContain("cacheScope").doesNotContain("layerCache");

        JobAssignment assignment = json.readValue(older, JobAssignment.class);

        assertThat(assignment.layerCache()).isEqualTo(LayerCache.OFF);
        assertThat(assignment.cacheScope()).isEqualTo(JobAssignment.NO_TEAM_SCOPE);
    }

    @Test
    void aProjectWithoutCacheNeverUsesOneAndNoCacheRefreshesIt() {
        assertThat(LayerCache.of(false, false)).isEqualTo(LayerCache.OFF);
        assertThat(LayerCache.of(false, true)).isEqualTo(LayerCache.OFF);
        assertThat(LayerCache.of(true, true)).isEqualTo(LayerCache.REFRESH);
        assertThat(LayerCache.of(true, false)).isEqualTo(LayerCache.USE);
    }

    @Test
    void jobFinishedKeepsItsCacheStepsAndCountsThem() {
        var cache = new JobCache(
                "USE",
                "team-1/linux-arm64/1",
                List.of(
                        new JobCache.Step("2/4", "RUN make", true),
                        new JobCache.Step("3/4", "COPY app /app", false),
                        new JobCache.Step("4/4", "CMD [\"/app\"]", false)));
        var finished = new JobFinished(
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "w-1",
                JobOutcome.SUCCEEDED,
                "sha256:" + "a".repeat(64),
                512,
                "application/vnd.oci.image.manifest.v1+json",
                null,
                null,
                Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:01:00Z"),
                60_000,
                "netns, egress none",
                JobPhases.onWorker(4L, 120L, null, 900L, 80L),
                cache);

        JobFinished read = roundTrip(finished);

        assertThat(read).isEqualTo(finished);
        assertThat(read.cache().hits()).isEqualTo(1);
        assertThat(read.cache().misses()).isEqualTo(2);
    }

    @Test
    void aNullStepOfACacheIsDroppedNotTheWholeResult() {
        String withNull = "{\"layerCache\":\"USE\",\"store\":\"adhoc/linux-amd64/1\","
                + "\"steps\":[null,{\"step\":\"2/2\",\"instruction\":\"RUN make\",\"hit\":true}]}";
        assertThat(json.readValue(withNull, JobCache.class).steps())
                .extracting(JobCache.Step::step)
                .containsExactly("2/2");
    }

    @Test
    void jobFinishedRoundTrips() {
        var finished = new JobFinished(
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "w-1",
                JobOutcome.FAILED,
                null,
                0,
                null,
                "step failed",
                3,
                Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:01:00Z"),
                60_000);
        assertThat(roundTrip(finished)).isEqualTo(finished);
    }

    @Test
    void jobFinishedKeepsItsPhasesAndReadsAResultWithout() throws Exception {
        var finished = new JobFinished(
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "w-1",
                JobOutcome.SUCCEEDED,
                "sha256:" + "a".repeat(64),
                512,
                "application/vnd.oci.image.manifest.v1+json",
                null,
                null,
                Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:01:00Z"),
                60_000,
                "netns, egress none",
                JobPhases.onWorker(4L, 120L, null, 900L, 80L));
        assertThat(roundTrip(finished)).isEqualTo(finished);
        assertThat(roundTrip(finished).phases().pull())
                .as("no pull measured stays unknown, not 0")
                .isNull();
        assertThat(roundTrip(finished.withPhases(null)).phases()).isNull();
    }

    @Test
    void heartbeatRoundTrips() {
        var heartbeat = new WorkerHeartbeat(
                UUID.randomUUID(),
                "w-1",
                "host",
                List.of("linux/amd64"),
                List.of("linux/arm64"),
                2,
                List.of(new WorkerHeartbeat.RunningJob(UUID.randomUUID(), 1)),
                false,
                Instant.parse("2026-11-28T10:00:00Z"),
                "overlay");
        assertThat(roundTrip(heartbeat)).isEqualTo(heartbeat);
    }

    @Test
    void aHeartbeatOfAWorkerBeforeTheStorageDriverFieldReadsAsNoDriver() {
        String old = json.writeValueAsString(new WorkerHeartbeat(
                        UUID.randomUUID(),
                        "w-1",
                        "host",
                        List.of("linux/amd64"),
                        List.of(),
                        1,
                        List.of(),
                        false,
                        Instant.parse("2026-11-28T10:00:00Z")))
                .replace(",\"storageDriver\":null", "");
        assertThat(old).doesNotContain("storageDriver");
        assertThat(json.readValue(old, WorkerHeartbeat.class).storageDriver()).isNull();
    }

    @Test
    void aHeartbeatCarriesTheWorkersToolsWithAQemuVersionPerPlatform() {
        var tools = new WorkerTools(
                "6.1.0-28-amd64",
                "overlay",
                "1.28.2",
                "1.9.3",
                Map.of("linux/s390x", "7.2.19", "linux/arm64", "7.2.19"));
        var heartbeat = new WorkerHeartbeat(
                UUID.randomUUID(),
                "w-1",
                "host",
                List.of("linux/amd64"),
                List.of("linux/arm64", "linux/s390x"),
                2,
                List.of(),
                false,
                Instant.parse("2026-11-28T10:00:00Z"),
                "overlay",
                List.of(),
                tools);

        WorkerHeartbeat read = roundTrip(heartbeat);

        assertThat(read).isEqualTo(heartbeat);
        assertThat(json.writeValueAsString(tools))
                .as("the shape GET /api/v1/workers shows")
                .isEqualTo("{\"kernel\":\"6.1.0-28-amd64\",\"storageDriver\":\"overlay\",\"buildah\":\"1.28.2\","
                        + "\"skopeo\":\"1.9.3\",\"qemu\":{\"linux/arm64\":\"7.2.19\",\"linux/s390x\":\"7.2.19\"}}");
    }

    /** A worker before the field (or one that could not tell a version) sends none: nothing breaks, it is unknown. */
    @Test
    void aHeartbeatWithoutToolsReadsAsUnknownTools() {
        String old = json.writeValueAsString(new WorkerHeartbeat(
                        UUID.randomUUID(),
                        "w-1",
                        "host",
                        List.of("linux/amd64"),
                        List.of(),
                        1,
                        List.of(),
                        false,
                        Instant.parse("2026-11-28T10:00:00Z"),
                        "vfs",
                        List.of()))
                .replace(",\"tools\":null", "");
        assertThat(old).doesNotContain("tools");
        assertThat(json.readValue(old, WorkerHeartbeat.class).tools()).isNull();

        String partial = "{\"kernel\":\"6.1.0\",\"buildah\":null,\"qemu\":{\"linux/arm64\":null}}";
        WorkerTools tools = json.readValue(partial, WorkerTools.class);
        assertThat(tools.buildah()).isNull();
        assertThat(tools.qemu()).containsEntry("linux/arm64", null);
        assertThat(json.readValue("{}", WorkerTools.class).qemu()).isEmpty();
    }

    /**
     * A newer worker may say more than this scheduler knows (and a newer scheduler reads this worker): unknown fields
     * are skipped whatever the reading mapper's settings, so neither side has to be upgraded first.
     */
    @Test
    void unknownFieldsOfANewerPartAreSkipped() {
        JsonMapper strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        String newer = json.writeValueAsString(new WorkerHeartbeat(
                        UUID.randomUUID(),
                        "w-1",
                        "host",
                        List.of("linux/amd64"),
                        List.of(),
                        1,
                        List.of(),
                        false,
                        Instant.parse("2026-11-28T10:00:00Z"),
                        "overlay",
                        List.of(),
                        new WorkerTools("6.1.0", "overlay", "1.28.2", "1.9.3", Map.of())))
                .replace("\"skopeo\":", "\"crun\":\"1.8\",\"skopeo\":")
                .replace("\"draining\":", "\"gpu\":{\"count\":1},\"draining\":");
        assertThat(newer).contains("crun").contains("gpu");

        WorkerHeartbeat read = strict.readValue(newer, WorkerHeartbeat.class);

        assertThat(read.tools().buildah()).isEqualTo("1.28.2");
        assertThat(read.tools().skopeo()).isEqualTo("1.9.3");
        String claim = json.writeValueAsString(new ClaimRequest(
                        UUID.randomUUID(), UUID.randomUUID(), 1, "w-1", ExecutionMode.EMULATED, null, read.tools()))
                .replace("{\"messageId\"", "{\"trace\":\"x\",\"messageId\"");
        assertThat(strict.readValue(claim, ClaimRequest.class).tools()).isEqualTo(read.tools());
    }

    @Test
    void aClaimCarriesTheToolsItsAttemptRunsWith() {
        var claim = new ClaimRequest(
                UUID.randomUUID(),
                UUID.randomUUID(),
                2,
                "w-1",
                ExecutionMode.EMULATED,
                "key",
                new WorkerTools("6.1.0", "vfs", "1.28.2", "1.9.3", Map.of("linux/arm64", "7.2.19")));
        assertThat(roundTrip(claim)).isEqualTo(claim);
        String old = json.writeValueAsString(
                        new ClaimRequest(UUID.randomUUID(), UUID.randomUUID(), 1, "w-1", ExecutionMode.NATIVE, "key"))
                .replace(",\"tools\":null", "");
        assertThat(json.readValue(old, ClaimRequest.class).tools()).isNull();
    }

    @Test
    void retryAndDrainRoundTrip() {
        var retry = new BuildRetryRequested(
                UUID.randomUUID(), UUID.randomUUID(), "alice", Instant.parse("2026-11-28T10:00:00Z"));
        var drain = new DrainWorker(UUID.randomUUID(), "w-1", true, "admin", Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(roundTrip(retry)).isEqualTo(retry);
        assertThat(roundTrip(drain)).isEqualTo(drain);
    }

    @Test
    void theDoorbellRoundTripsWithEachJobsQueue() {
        var doorbell = new JobsWaiting(
                UUID.randomUUID(),
                List.of(
                        "archfarm.jobs.linux-amd64.native",
                        "archfarm.jobs.linux-amd64.native",
                        "archfarm.jobs.worker.w-1"));
        assertThat(roundTrip(doorbell)).isEqualTo(doorbell);
        assertThat(roundTrip(doorbell).queues())
                .as("a queue named twice holds two new jobs")
                .hasSize(3);
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T message) {
        return (T) json.readValue(json.writeValueAsString(message), message.getClass());
    }
}
