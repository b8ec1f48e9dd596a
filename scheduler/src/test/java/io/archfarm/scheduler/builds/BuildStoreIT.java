package io.archfarm.scheduler.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.IllegalTransitionException;
import io.archfarm.scheduler.StoreRows;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.testing.ArchfarmTestDatabase;
import java.time.Instant;
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
 * Each transition of {@code builds} against real PostgreSQL, guarded by the status and version the caller read.
 * Only the store and PostgreSQL are started (a JDBC slice), so no scheduled duty touches the rows under test.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ArchfarmTestDatabase.class, BuildStore.class, PlatformJobStore.class})
class BuildStoreIT {

    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    @Autowired
    BuildStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aStartWinsOnceAndCountsTheVersionUp() {
        UUID id = new StoreRows(jdbc).build("QUEUED", "r/x");
        Build read = store.find(id).orElseThrow();

        assertThat(inTransaction(() -> store.start(read, NOW))).isTrue();
        assertThat(inTransaction(() -> store.start(read, NOW)))
                .as("the same read again")
                .isFalse();

        assertThat(row(id)).containsEntry("status", "RUNNING").containsEntry("version", 1L);
        assertThat(row(id).get("started_at")).isNotNull();
    }

    @Test
    void anEndIsGuardedByTheVersionNotOnlyTheStatus() {
        UUID id = new StoreRows(jdbc).build("RUNNING", "r/x");
        Build read = store.find(id).orElseThrow();
        // something else changed the build meanwhile, leaving it RUNNING
        jdbc.sql("update builds set version = version + 1 where id = :id")
                .param("id", id)
                .update();

        assertThat(inTransaction(() -> store.end(read, BuildStatus.SUCCEEDED, null, NOW)))
                .isFalse();
        assertThat(inTransaction(() -> store.end(store.find(id).orElseThrow(), BuildStatus.FAILED, "broken", NOW)))
                .isTrue();
        assertThat(row(id)).containsEntry("status", "FAILED").containsEntry("error", "broken");
        assertThatThrownBy(() ->
                        inTransaction(() -> store.end(store.find(id).orElseThrow(), BuildStatus.RUNNING, null, NOW)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReopenClearsTheEndAndTheCancelAndIllegalMovesThrow() {
        UUID id = new StoreRows(jdbc).build("CANCELLED", "r/x");
        jdbc.sql("update builds set cancel_requested_at = now(), error = 'cancelled by bob', finished_at = now()"
                        + " where id = :id")
                .param("id", id)
                .update();

        assertThat(inTransaction(() -> store.reopen(store.find(id).orElseThrow(), NOW)))
                .isTrue();

        assertThat(row(id))
                .containsEntry("status", "RUNNING")
                .containsEntry("error", null)
                .containsEntry("cancel_requested_at", null)
                .containsEntry("finished_at", null);
        assertThatThrownBy(() -> inTransaction(() -> store.start(store.find(id).orElseThrow(), NOW)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("RUNNING -> RUNNING");
        UUID succeeded = new StoreRows(jdbc).build("SUCCEEDED", "r/x");
        assertThatThrownBy(() ->
                        inTransaction(() -> store.reopen(store.find(succeeded).orElseThrow(), NOW)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("SUCCEEDED -> RUNNING");
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.sql("select * from builds where id = :id")
                .param("id", id)
                .query()
                .singleRow();
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactionManager).execute(status -> work.get());
    }
}
