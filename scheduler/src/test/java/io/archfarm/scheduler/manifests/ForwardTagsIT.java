package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.scheduler.NoTicks;
import io.archfarm.scheduler.StoreRows;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Tags only move forward: of two builds of one branch publishing the same tag, the one accepted later keeps it,
 * whichever merge finishes last, even when the older build's push of the tag reaches the registry after the newer
 * one's. The registry peer holds a tag push for as long as the test needs, so the interleaving is exact. No scheduled
 * duty runs ({@link NoTicks}), so only the test merges.
 */
@SpringBootTest
@Import({ArchfarmTestServices.class, NoTicks.class})
class ForwardTagsIT {

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + TokenRegistry.OCI_MANIFEST
                    + "\",\"config\":{},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = TokenRegistry.sha256(MANIFEST);
    private static TokenRegistry registry;

    @Autowired
    MergeBuild merge;

    @Autowired
    JdbcClient jdbc;

    private final ExecutorService merger = Executors.newSingleThreadExecutor();

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws Exception {
        registry = TokenRegistry.start().serving(MANIFEST);
        properties.add("archfarm.registry.insecure", registry::address);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void stopMerger() {
        registry.releaseHeldRead();
        merger.shutdownNow();
    }

    @Test
    void anOlderBuildMergedAfterANewerOneLeavesTheTagOnTheNewer() {
        String tag = uniqueTag();
        UUID older = finishedBuild(tag, "a1");
        UUID newer = finishedBuild(tag, "b2");

        assertThat(merge.mergeIfFinished(newer)).isTrue();
        assertThat(merge.mergeIfFinished(older)).isTrue();

        assertThat(registry.storedUnder(tag)).isEqualTo(indexDigest(newer)).isNotEqualTo(indexDigest(older));
        assertThat(status(older))
                .as("the older build still published its index by digest")
                .isEqualTo("SUCCEEDED");
        assertThat(heldBy(tag)).isEqualTo(newer);
    }

    @Test
    void aNewerBuildMergedAfterAnOlderOneMovesTheTag() {
        String tag = uniqueTag();
        UUID older = finishedBuild(tag, "a1");
        UUID newer = finishedBuild(tag, "b2");

        assertThat(merge.mergeIfFinished(older)).isTrue();
        assertThat(registry.storedUnder(tag)).isEqualTo(indexDigest(older));
        assertThat(merge.mergeIfFinished(newer)).isTrue();

        assertThat(registry.storedUnder(tag)).isEqualTo(indexDigest(newer));
        assertThat(heldBy(tag)).isEqualTo(newer);
    }

    @Test
    void anOlderBuildsTagPushLandingAfterTheNewerOnesIsPushedOver() throws Exception {
        String tag = uniqueTag();
        UUID older = finishedBuild(tag, "a1");
        UUID newer = finishedBuild(tag, "b2");

        // the older merge claims the tag first; its push of the tag is held at the registry
        registry.holdingTheNextManifestPut(tag);
        Future<Boolean> olderMerge = merger.submit(() -> merge.mergeIfFinished(older));
        assertThat(registry.awaitHeldRead(20))
                .as("the older merge pushes the tag")
                .isTrue();

        // the newer merge claims the tag and pushes it while the older push hangs
        assertThat(merge.mergeIfFinished(newer)).isTrue();
        assertThat(registry.storedUnder(tag)).isEqualTo(indexDigest(newer));

        // now the older push lands, after the newer one, as if it were the last word
        registry.releaseHeldRead();
        assertThat(olderMerge.get(30, TimeUnit.SECONDS)).isTrue();

        assertThat(registry.storedUnder(tag)).as("the tag after both merges").isEqualTo(indexDigest(newer));
        assertThat(status(older)).isEqualTo("SUCCEEDED");
    }

    @Test
    void aRetriedOlderBuildDoesNotTakeTheTagBack() {
        String tag = uniqueTag();
        UUID older = finishedBuild(tag, "a1");
        UUID newer = finishedBuild(tag, "b2");
        assertThat(merge.mergeIfFinished(older)).isTrue();
        assertThat(merge.mergeIfFinished(newer)).isTrue();

        // the older build merged again, as a retry of a partial build would
        jdbc.sql("update builds set status = 'RUNNING', version = version + 1 where id = :id")
                .param("id", older)
                .update();
        assertThat(merge.mergeIfFinished(older)).isTrue();

        assertThat(registry.storedUnder(tag)).isEqualTo(indexDigest(newer));
    }

    /** A RUNNING build of commit {@code commitPrefix...} whose one job succeeded, accepted after any made before. */
    private UUID finishedBuild(String tag, String commitPrefix) {
        StoreRows rows = new StoreRows(jdbc);
        UUID buildId = rows.build("RUNNING", registry.address() + "/team/app");
        jdbc.sql("update builds set tags = cast(:tags as jsonb), commit_sha = :commit where id = :id")
                .param("tags", "[\"" + tag + "\"]")
                .param("commit", commitPrefix + "0".repeat(38))
                .param("id", buildId)
                .update();
        rows.job(buildId, "linux/amd64", "SUCCEEDED", 1, DIGEST);
        return buildId;
    }

    private static String uniqueTag() {
        return "main-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String indexDigest(UUID buildId) {
        return jdbc.sql("select digest from manifest_lists where build_id = :id")
                .param("id", buildId)
                .query(String.class)
                .single();
    }

    private UUID heldBy(String tag) {
        return jdbc.sql("select build_id from tag_heads where tag = :tag")
                .param("tag", tag)
                .query(UUID.class)
                .single();
    }

    private String status(UUID buildId) {
        return jdbc.sql("select status from builds where id = :id")
                .param("id", buildId)
                .query(String.class)
                .single();
    }
}
