package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.scheduler.StoreRows;
import io.archfarm.testing.ArchfarmTestServices;
import io.archfarm.testing.LocalRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The merge rides out a registry that fails for now (answers 503, refuses connections, is killed and started again):
 * the build waits, RUNNING, while its merge is tried again with back-off by the periodic sweep, and is merged once the
 * registry is back; after the outage budget it fails naming the registry and how long it was down. A registry that
 * answers the merge with a 4xx that will not change fails the build at once.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=100ms",
            "archfarm.scheduler.retry-backoff=500ms",
            "archfarm.scheduler.retry-backoff-max=1s",
            "archfarm.scheduler.outage-budget=6s"
        })
@Import(ArchfarmTestServices.class)
class MergeThroughOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + TokenRegistry.OCI_MANIFEST
                    + "\",\"config\":{},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = TokenRegistry.sha256(MANIFEST);
    private static TokenRegistry peer;
    private static LocalRegistry registry;
    private static String closedAddress;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void registries(DynamicPropertyRegistry properties) throws Exception {
        peer = TokenRegistry.start().serving(MANIFEST);
        registry = LocalRegistry.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedAddress = "127.0.0.1:" + socket.getLocalPort();
        }
        properties.add(
                "archfarm.registry.insecure", () -> peer.address() + "," + registry.address() + "," + closedAddress);
    }

    @AfterEach
    void answerAsUsual() {
        peer.answering(null, 0);
    }

    @AfterAll
    static void stopRegistries() {
        if (peer != null) {
            peer.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRegistryAnswering503ForAWhileIsWaitedOutWithBackOff() {
        peer.answering("GET", 503);
        UUID buildId = finishedBuild(peer.address() + "/team/app", DIGEST);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> failures(buildId) >= 1);
        Instant first = Instant.now();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> failures(buildId) >= 3);
        Duration twoWaits = Duration.between(first, Instant.now());
        assertThat(build(buildId))
                .containsEntry("status", "RUNNING")
                .containsEntry("merge_outage_part", "registry " + peer.address());
        // at least 250 ms + 500 ms (half of each wait), less what the first poll came late; no back-off: 2 ticks
        assertThat(twoWaits)
                .as("at least half of 500 ms, then half of 1 s, not a merge per 100 ms tick")
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        peer.answering(null, 0);

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(build(buildId).get("status")));
        assertThat(manifestLists(buildId)).isOne();
        assertThat(build(buildId).get("error")).isNull();
    }

    @Test
    void aRegistryKilledAndStartedAgainDuringTheMergeIsWaitedOut() throws Exception {
        String digest = PushedImages.push(registry, "t/restarted", "amd64", null);
        registry.kill();
        UUID buildId = finishedBuild(registry.address() + "/t/restarted", digest);

        await().atMost(WAIT).until(() -> failures(buildId) >= 2);
        assertThat(build(buildId)).containsEntry("status", "RUNNING");
        registry.restart();

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(build(buildId).get("status")));
        assertThat(manifestLists(buildId)).isOne();
        assertThat(registry.get("/v2/t/restarted/manifests/1.0", ImageIndex.MEDIA_TYPE)
                        .statusCode())
                .as("the tag was pushed once the registry was back")
                .isEqualTo(200);
    }

    @Test
    void aRegistryDownForLongerThanTheBudgetFailsTheBuildNamingItAndTheOutage() {
        UUID buildId = finishedBuild(closedAddress + "/team/app", DIGEST);
        Instant start = Instant.now();

        await().atMost(WAIT).until(() -> "FAILED".equals(build(buildId).get("status")));

        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        assertThat((String) build(buildId).get("error"))
                .matches("(?s)merge: registry "
                        + closedAddress.replace(".", "\\.") + " unreachable for [6-9] s since \\d\\d:\\d\\d:\\d\\d UTC,"
                        + " longer than the outage budget of 6 s \\(\\d+ merges met it\\): could not read the linux/amd64"
                        + " image from the registry: GET http://.*ConnectException.*");
        assertThat(manifestLists(buildId)).isZero();
    }

    @Test
    void aManifestListTheRegistryCallsInvalidFailsTheBuildAtOnce() {
        peer.answering("PUT", 400);
        UUID buildId = finishedBuild(peer.address() + "/team/app", DIGEST);

        await().atMost(WAIT).until(() -> "FAILED".equals(build(buildId).get("status")));

        assertThat((String) build(buildId).get("error"))
                .startsWith("registry refused the manifest list: PUT http://" + peer.address())
                .contains("answered 400");
        assertThat(build(buildId)).containsEntry("merge_outage_failures", 0);
    }

    /** A RUNNING build of tag 1.0 whose one job succeeded with {@code digest}: the sweep merges it. */
    private UUID finishedBuild(String image, String digest) {
        StoreRows rows = new StoreRows(jdbc);
        UUID buildId = rows.build("RUNNING", image);
        rows.job(buildId, "linux/amd64", "SUCCEEDED", 1, digest);
        return buildId;
    }

    private int failures(UUID buildId) {
        return ((Number) build(buildId).get("merge_outage_failures")).intValue();
    }

    private Map<String, Object> build(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id")
                .param("id", buildId)
                .query()
                .singleRow();
    }

    private long manifestLists(UUID buildId) {
        return jdbc.sql("select count(*) from manifest_lists where build_id = :id")
                .param("id", buildId)
                .query(Long.class)
                .single();
    }
}
