package io.archfarm.scheduler.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.scheduler.Farm;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The storage driver a worker's heartbeat names is kept in {@code workers.storage_driver}, as the last beat says. */
@SpringBootTest
@Import({ArchfarmTestServices.class, Farm.class})
class WorkerStorageDriverIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    Farm farm;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theSchedulerKeepsTheDriverOfTheLastHeartbeat() {
        beat("w-overlay", "overlay", 1);
        beat("w-vfs", "vfs", 1);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(driverOf("w-overlay")).contains("overlay");
            assertThat(driverOf("w-vfs")).contains("vfs");
        });

        // the worker restarted with archfarm.worker.storage-driver=vfs
        beat("w-overlay", "vfs", 2);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(driverOf("w-overlay")).contains("vfs"));
    }

    @Test
    void aWorkerThatDoesNotSayItsDriverHasNone() {
        farm.heartbeat("w-old", List.of("linux/amd64"), List.of(), List.of());
        beat("w-odd", "not a driver; drop table workers", 1);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(slots("w-old")).isEqualTo(2);
            assertThat(slots("w-odd")).isEqualTo(1);
        });
        assertThat(driverOf("w-old")).isEmpty();
        assertThat(driverOf("w-odd")).isEmpty();
    }

    private void beat(String workerId, String driver, int slots) {
        farm.send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        workerId,
                        "host-" + workerId,
                        List.of("linux/amd64"),
                        List.of(),
                        slots,
                        List.of(),
                        false,
                        Instant.now(),
                        driver));
    }

    private Optional<String> driverOf(String workerId) {
        return jdbc.sql("select storage_driver from workers where id = :id")
                .param("id", workerId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
                .optional()
                .flatMap(d -> d);
    }

    private int slots(String workerId) {
        return jdbc.sql("select slots from workers where id = :id")
                .param("id", workerId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }
}
