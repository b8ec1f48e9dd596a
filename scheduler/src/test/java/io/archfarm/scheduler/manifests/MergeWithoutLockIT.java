package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.BuildStatus;
import io.archfarm.scheduler.NoTicks;
import io.archfarm.scheduler.StoreRows;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The merge holds no transaction and no lock while the registry answers: a registry peer holds its manifest read
 * while the test changes the build in a transaction of its own, which would wait for (and, with a lock timeout, fail
 * on) any lock the merge held. A build changed meanwhile is not recorded as merged. No scheduled duty
 * runs ({@link NoTicks}), so only the test merges.
 */
@SpringBootTest
@Import({ArchfarmTestServices.class, NoTicks.class})
class MergeWithoutLockIT {

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + TokenRegistry.OCI_MANIFEST
                    + "\",\"config\":{},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = TokenRegistry.sha256(MANIFEST);
    private static TokenRegistry registry;

    @Autowired
    MergeBuild merge;

    @Autowired
    BuildStore builds;

    @Autowired
    PlatformJobStore jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

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
    void aBuildCancelledWhileTheRegistryAnswersIsNotRecordedAsMerged() throws Exception {
        UUID buildId = finishedBuild();
        Future<Boolean> merging = mergeWhileTheRegistryHoldsItsAnswer(buildId);

        // as CancelBuild does it: lock the build row and end it; a lock held by the merge would fail this
        transaction(() -> {
            jdbc.sql("set local lock_timeout = '2s'").update();
            Build build = builds.lock(buildId).orElseThrow();
            assertThat(builds.end(build, BuildStatus.CANCELLED, "cancelled by bob", Instant.now()))
                    .isTrue();
        });
        registry.releaseHeldRead();

        assertThat(merging.get(30, TimeUnit.SECONDS))
                .as("the merge recorded the build")
                .isFalse();
        assertThat(status(buildId)).isEqualTo("CANCELLED");
        assertThat(manifestLists(buildId)).isZero();
    }

    @Test
    void aBuildEndedAndRetriedWhileTheRegistryAnswersIsNotRecordedAsMerged() throws Exception {
        UUID buildId = finishedBuild();
        Future<Boolean> merging = mergeWhileTheRegistryHoldsItsAnswer(buildId);

        // another scheduler ended it, then a person retried it: RUNNING again, its job queued at the next attempt
        transaction(() -> {
            jdbc.sql("set local lock_timeout = '2s'").update();
            Build build = builds.lock(buildId).orElseThrow();
            assertThat(builds.end(build, BuildStatus.FAILED, "an earlier merge", Instant.now()))
                    .isTrue();
            assertThat(builds.reopen(builds.lock(buildId).orElseThrow(), Instant.now()))
                    .isTrue();
            var job = jobs.lockOfBuild(buildId).getFirst();
            jdbc.sql("update platform_jobs set status = 'FAILED' where id = :id")
                    .param("id", job.id())
                    .update();
            assertThat(jobs.reopen(jobs.lock(job.id()).orElseThrow(), 3, Instant.now()))
                    .isTrue();
        });
        registry.releaseHeldRead();

        assertThat(merging.get(30, TimeUnit.SECONDS))
                .as("the merge recorded the build")
                .isFalse();
        assertThat(status(buildId)).isEqualTo("RUNNING");
        assertThat(manifestLists(buildId)).isZero();
    }

    @Test
    void aBuildLeftAloneIsRecordedAsMerged() {
        UUID buildId = finishedBuild();

        assertThat(merge.mergeIfFinished(buildId)).isTrue();

        assertThat(status(buildId)).isEqualTo("SUCCEEDED");
        assertThat(manifestLists(buildId)).isOne();
        assertThat(merge.mergeIfFinished(buildId))
                .as("a second merge of the same build")
                .isFalse();
    }

    /** A RUNNING build whose one job succeeded with the image the registry peer serves. */
    private UUID finishedBuild() {
        StoreRows rows = new StoreRows(jdbc);
        UUID buildId = rows.build("RUNNING", registry.address() + "/team/app");
        rows.job(buildId, "linux/amd64", "SUCCEEDED", 1, DIGEST);
        return buildId;
    }

    private Future<Boolean> mergeWhileTheRegistryHoldsItsAnswer(UUID buildId) throws InterruptedException {
        registry.holdingTheNextManifestRead();
        Future<Boolean> merging = merger.submit(() -> merge.mergeIfFinished(buildId));
        assertThat(registry.awaitHeldRead(20))
                .as("the merge reads the image manifest from the registry")
                .isTrue();
        return merging;
    }

    private void transaction(Runnable work) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> work.run());
    }

    private String status(UUID buildId) {
        return jdbc.sql("select status from builds where id = :id")
                .param("id", buildId)
                .query(String.class)
                .single();
    }

    private long manifestLists(UUID buildId) {
        return jdbc.sql("select count(*) from manifest_lists where build_id = :id")
                .param("id", buildId)
                .query(Long.class)
                .single();
    }
}
