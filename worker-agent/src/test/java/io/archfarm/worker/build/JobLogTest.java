package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.messages.JobLogChunk;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JobLogTest {

    private final UUID jobId = UUID.randomUUID();
    private final List<JobLogChunk> sent = new CopyOnWriteArrayList<>();
    private final JobLog log = new JobLog(jobId, 3, sent::add);

    @Test
    void holdsLinesUntilHalfASecondHasPassed() {
        log.line("STEP 1/2: FROM scratch");
        log.flushIfDue();
        assertThat(sent).isEmpty();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            log.flushIfDue();
            assertThat(sent).hasSize(1);
        });
        assertThat(sent.getFirst().text()).isEqualTo("STEP 1/2: FROM scratch\n");
        assertThat(sent.getFirst().jobId()).isEqualTo(jobId);
        assertThat(sent.getFirst().attempt()).isEqualTo(3);
        assertThat(sent.getFirst().seq()).isZero();
    }

    @Test
    void sendsA32KiBChunkAtOnceAndNumbersChunksFromZero() {
        String line = "x".repeat(1023);
        for (int i = 0; i < 40; i++) {
            log.line(line);
        }
        log.flush();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).text()).hasSize(32 * 1024);
        assertThat(sent).extracting(JobLogChunk::seq).containsExactly(0L, 1L);
        assertThat(sent).extracting(JobLogChunk::messageId).doesNotHaveDuplicates();
    }

    @Test
    void anEmptyLogSendsNothing() {
        log.flush();
        assertThat(sent).isEmpty();
    }
}
