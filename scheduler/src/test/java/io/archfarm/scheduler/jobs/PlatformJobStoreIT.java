package io.archfarm.scheduler.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.IllegalTransitionException;
import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.StoreRows;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.scheduler.jobs.PlatformJobStore.Dispatch;
import io.archfarm.scheduler.jobs.PlatformJobStore.DispatchScope;
import io.archfarm.testing.ArchfarmTestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each transition of {@code platform_jobs} against real PostgreSQL: it moves the row when the job is as the caller
 * read it, says it lost when the job moved on meanwhile, and throws, naming from and to, for a move the status table
 * does not allow. Only the store and PostgreSQL are started (a JDBC slice), so no scheduled duty touches the rows
 * under test.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ArchfarmTestDatabase.class, BuildStore.class, PlatformJobStore.class})
class PlatformJobStoreIT {

    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    @Autowired
    PlatformJobStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void createMakesOneQueuedJobPerPlatform() {
        UUID build = rows().build("QUEUED", "r/x");
        assertThat(inTransaction(() -> store.create(build, Platform.parse("linux/amd64"), Placement.ANY, 3, NOW)))
                .isTrue();
        assertThat(inTransaction(() -> store.create(build, Platform.parse("linux/amd64"), Placement.ANY, 3, NOW)))
                .as("a second job for the same platform")
                .isFalse();
        assertThat(jdbc.sql("select status || '@' || attempt from platform_jobs where build_id = :b")
                        .param("b", build)
                        .query(String.class)
                        .list())
                .containsExactly("QUEUED@0");
    }

    @Test
    void aClaimWinsOnceAndAStaleReadLoses() {
        UUID id = rows().job(rows().build("QUEUED", "r/x"), "linux/amd64", "QUEUED", 1);
        PlatformJob read = lock(id);

        String tools = "{\"buildah\": \"1.28.2\"}";
        assertThat(inTransaction(() -> store.claim(read, "w-a", ExecutionMode.NATIVE, tools, NOW)))
                .isTrue();
        assertThat(inTransaction(() -> store.claim(read, "w-b", ExecutionMode.NATIVE, null, NOW)))
                .as("the same read again: the job is RUNNING now")
                .isFalse();
        assertThat(row(id))
                .containsEntry("status", "RUNNING")
                .containsEntry("worker_id", "w-a")
                .containsEntry("mode", "NATIVE")
                .containsEntry("affinity", "NONE");
        assertThat(row(id).get("tools"))
                .as("what the claim said its attempt runs with")
                .hasToString(tools);
        assertThatThrownBy(() -> inTransaction(() -> store.claim(lock(id), "w-b", ExecutionMode.NATIVE, null, NOW)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("RUNNING -> RUNNING");
    }

    @Test
    void aRequeueCountsTheAttemptUpAndIsGuardedByIt() {
        UUID id = rows().job(rows().build("RUNNING", "r/x"), "linux/amd64", "RUNNING", 1);
        PlatformJob read = lock(id);

        assertThat(inTransaction(() -> store.requeue(read, "worker lost", NOW))).isTrue();
        assertThat(row(id))
                .containsEntry("status", "QUEUED")
                .containsEntry("attempt", 2)
                .containsEntry("worker_id", null)
                .containsEntry("error", "worker lost");
        jdbc.sql("update platform_jobs set status = 'RUNNING' where id = :id")
                .param("id", id)
                .update();
        assertThat(inTransaction(() -> store.requeue(read, "again", NOW)))
                .as("RUNNING again, but at attempt 2, not 1")
                .isFalse();
        assertThat(row(id)).containsEntry("attempt", 2);
    }

    @Test
    void anEndKeepsTheImageOnlyOfASuccess() {
        UUID build = rows().build("RUNNING", "r/x");
        UUID won = rows().job(build, "linux/amd64", "RUNNING", 1);
        UUID lost = rows().job(build, "linux/arm64", "RUNNING", 1);
        JobEnd end = new JobEnd(
                "sha256:" + "a".repeat(64),
                1234L,
                "application/vnd.oci.image.manifest.v1+json",
                null,
                0,
                900L,
                "netns",
                1L,
                2L,
                3L,
                4L,
                5L,
                null);

        assertThat(inTransaction(() -> store.end(lock(won), JobStatus.SUCCEEDED, end, NOW)))
                .isTrue();
        assertThat(inTransaction(() -> store.end(lock(lost), JobStatus.FAILED, end, NOW)))
                .isTrue();

        assertThat(row(won))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("digest", "sha256:" + "a".repeat(64))
                .containsEntry("image_size", 1234L);
        assertThat(row(lost)).containsEntry("status", "FAILED").containsEntry("digest", null);
        assertThatThrownBy(() -> inTransaction(() -> store.end(lock(won), JobStatus.FAILED, end, NOW)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("SUCCEEDED -> FAILED");
        assertThatThrownBy(() -> inTransaction(() -> store.end(lock(lost), JobStatus.QUEUED, end, NOW)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failAndCancelEndAJobWithTheReason() {
        UUID build = rows().build("RUNNING", "r/x");
        UUID failed = rows().job(build, "linux/amd64", "RUNNING", 3);
        UUID cancelled = rows().job(build, "linux/arm64", "QUEUED", 1);
        PlatformJob readFailed = lock(failed);

        assertThat(inTransaction(() -> store.fail(readFailed, "gave up", NOW))).isTrue();
        assertThat(inTransaction(() -> store.cancel(lock(cancelled), "cancelled by bob", NOW)))
                .isTrue();
        assertThat(inTransaction(() -> store.fail(readFailed, "twice", NOW))).isFalse();

        assertThat(row(failed)).containsEntry("status", "FAILED").containsEntry("error", "gave up");
        assertThat(row(cancelled)).containsEntry("status", "CANCELLED").containsEntry("error", "cancelled by bob");
        assertThat(row(failed).get("finished_at")).isNotNull();
    }

    @Test
    void aReopenQueuesAnEndedJobAtTheNextAttemptWithAFreshBudget() {
        UUID build = rows().build("FAILED", "r/x");
        UUID failed = rows().job(build, "linux/amd64", "FAILED", 3);
        UUID succeeded = rows().job(build, "linux/arm64", "SUCCEEDED", 1, "sha256:" + "b".repeat(64));

        assertThat(inTransaction(() -> store.reopen(lock(failed), 3, NOW))).isTrue();

        assertThat(row(failed))
                .containsEntry("status", "QUEUED")
                .containsEntry("attempt", 4)
                .containsEntry("max_attempts", 6);
        assertThatThrownBy(() -> inTransaction(() -> store.reopen(lock(succeeded), 3, NOW)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("SUCCEEDED -> QUEUED");
    }

    @Test
    void aDispatchRecordsWhatWasSentAndAnUnplaceableJobFails() {
        UUID build = rows().build("QUEUED", "r/x");
        UUID sent = rows().job(build, "linux/amd64", "QUEUED", 0);
        UUID unplaceable = rows().job(build, "linux/s390x", "QUEUED", 0);
        PlatformJob read = lock(sent);

        assertThat(inTransaction(() ->
                        store.dispatched(read, new Dispatch(1, true, false, NOW.plusSeconds(30), null, null, null))))
                .isTrue();
        assertThat(inTransaction(() -> store.dispatched(read, new Dispatch(1, false, true, null, null, null, null))))
                .as("stale: the job is at attempt 1")
                .isFalse();
        assertThat(inTransaction(() -> store.failUnplaceable(lock(unplaceable), "no worker", NOW, NOW)))
                .isTrue();

        assertThat(row(sent))
                .containsEntry("status", "QUEUED")
                .containsEntry("attempt", 1)
                .containsEntry("dispatched_native", true)
                .containsEntry("dispatched_emulated", false);
        assertThat(row(unplaceable)).containsEntry("status", "FAILED").containsEntry("error", "no worker");
    }

    @Test
    void theQueuedJobsOfAScopeAreOnlyThose() {
        UUID mine = rows().build("QUEUED", "r/x");
        UUID other = rows().build("QUEUED", "r/x");
        UUID mineJob = rows().job(mine, "linux/ppc64le", "QUEUED", 0);
        UUID otherJob = rows().job(other, "linux/riscv64", "QUEUED", 0);
        rows().job(other, "linux/arm/v7", "RUNNING", 1);

        assertThat(inTransaction(() -> ids(store.lockQueued(DispatchScope.builds(List.of(mine)), Instant.now()))))
                .containsExactly(mineJob);
        assertThat(inTransaction(() -> ids(store.lockQueued(
                        DispatchScope.platforms(List.of(Platform.parse("linux/riscv64"))), Instant.now()))))
                .containsExactly(otherJob);
        assertThat(inTransaction(() -> ids(store.lockQueued(DispatchScope.ALL, Instant.now()))))
                .contains(mineJob, otherJob);
    }

    private static List<UUID> ids(List<PlatformJob> jobs) {
        return jobs.stream().map(PlatformJob::id).toList();
    }

    private StoreRows rows() {
        return new StoreRows(jdbc);
    }

    private PlatformJob lock(UUID id) {
        return inTransaction(() -> store.lock(id).orElseThrow());
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.sql("select * from platform_jobs where id = :id")
                .param("id", id)
                .query()
                .singleRow();
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactionManager).execute(status -> work.get());
    }
}
