package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.messages.JobLogChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A job's secret values never leave the worker in a log chunk: not whole on a line, not across lines, not when a
 * chunk is sent in the middle of a value, not when a long line is cut, and not as base64.
 */
class JobLogRedactionTest {

    private static final String TOKEN = "tok-3f9a6c1e77d2";
    private static final String KEY =
            "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nbm90IGEgcmVhbCBrZXk=\n" + "-----END KEY-----\n";
    /** A multi-line value whose lines are too short to be masked alone: only the whole value is. */
    private static final String PIN_CARD = "pin:\n4711\n0815\n";

    private final List<JobLogChunk> sent = new CopyOnWriteArrayList<>();
    private final JobLog log = new JobLog(
            UUID.randomUUID(),
            1,
            sent::add,
            JobSecrets.of(Map.of("token", TOKEN, "key", KEY, "card", PIN_CARD)).redaction());

    @Test
    void aValueOnALineIsMaskedWhereverItStands() {
        log.line(TOKEN);
        log.line("STEP 4/4: RUN --mount=type=secret,id=token cat /run/secrets/token");
        log.line(TOKEN + "16");
        log.line("Authorization: Bearer " + TOKEN + " and again " + TOKEN);
        log.flush();

        assertThat(text())
                .isEqualTo("****\nSTEP 4/4: RUN --mount=type=secret,id=token cat /run/secrets/token\n"
                        + "****16\nAuthorization: Bearer **** and again ****\n");
    }

    @Test
    void aMultiLineValueIsMaskedAcrossLinesEvenWhenAChunkIsSentInItsMiddle() {
        log.line("before");
        log.line("pin:");
        log.line("4711");
        // the chunk sent now must stop before "pin:\n4711\n": it may be the start of the whole value
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            log.flushIfDue();
            assertThat(sent).hasSize(1);
        });
        assertThat(sent.getFirst().text()).isEqualTo("before\n");
        log.line("0815");
        log.line("after");
        log.flush();

        assertThat(text()).isEqualTo("before\n****\nafter\n");
        assertThat(sent).extracting(JobLogChunk::seq).containsExactly(0L, 1L);
    }

    @Test
    void aHeldBackTailThatIsNoValueAfterAllIsSentAtTheEnd() {
        log.line("pin:");
        log.line("4711");
        log.flush();

        assertThat(text()).isEqualTo("pin:\n4711\n");
    }

    @Test
    void eachLongLineOfAMultiLineValueIsMaskedAlone() {
        log.line("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
        log.line("-----END KEY-----");
        log.flush();

        assertThat(text()).isEqualTo("****\n****\n");
    }

    @Test
    void aValueAcrossTheBoundaryOfA32KiBChunkIsMaskedWhole() {
        for (int i = 0; i < 32; i++) {
            log.line("x".repeat(1000));
        }
        log.line("x".repeat(727));
        // 32 KiB are gathered in the middle of the value: the first chunk goes out without its start
        log.line("pin:");
        log.line("4711");
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().text()).endsWith("x\n").doesNotContain("pin:");
        log.line("0815");
        log.flush();

        assertThat(text()).doesNotContain("4711").endsWith("x\n****\n");
    }

    @Test
    void aCutLongLineNeverShowsHalfAValue() {
        log.line("y".repeat(8 * 1024 - 5) + TOKEN + "z".repeat(100));
        log.flush();

        assertThat(text())
                .doesNotContain(TOKEN.substring(0, 5))
                .contains("****")
                .contains("[line cut]");
    }

    @Test
    void theBase64OfAValueIsMaskedAsWell() {
        String encoded = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        String echoed = Base64.getEncoder().encodeToString((TOKEN + "\n").getBytes(StandardCharsets.UTF_8));
        log.line(encoded);
        log.line(echoed);
        log.flush();

        assertThat(text()).doesNotContain(encoded.substring(0, 16)).doesNotContain(echoed.substring(0, 16));
    }

    @Test
    void aWrappedBase64OfALongValueIsMasked() {
        String longValue = "L".repeat(50) + "0123456789".repeat(10);
        JobLog wrapped = new JobLog(
                UUID.randomUUID(),
                1,
                sent::add,
                JobSecrets.of(Map.of("long", longValue)).redaction());
        String encoded = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.UTF_8))
                .encodeToString(longValue.getBytes(StandardCharsets.UTF_8));
        encoded.lines().forEach(wrapped::line);
        wrapped.flush();

        assertThat(text())
                .doesNotContain(encoded.lines().findFirst().orElseThrow())
                .contains("****");
    }

    @Test
    void aCompleteTextLikeAJobsErrorIsMasked() {
        assertThat(log.redact("RUN failed: exit 1\n" + TOKEN + "\n")).isEqualTo("RUN failed: exit 1\n****\n");
        assertThat(log.redact(null)).isNull();
    }

    @Test
    void everyValueIsMaskedEvenAShortOne() {
        JobLog shortValue = new JobLog(
                UUID.randomUUID(),
                1,
                sent::add,
                JobSecrets.of(Map.of("s", "ab")).redaction());
        shortValue.line("cab");
        shortValue.flush();

        assertThat(text()).isEqualTo("c****\n");
    }

    @Test
    void aJobWithoutSecretsSendsItsLogAsItIs() {
        JobLog plain =
                new JobLog(UUID.randomUUID(), 1, sent::add, JobSecrets.none().redaction());
        plain.line("-----BEGIN KEY-----");
        plain.flush();

        assertThat(text()).isEqualTo("-----BEGIN KEY-----\n");
    }

    @Test
    void secretsNameTheirIdsButNeverTheirValues() {
        assertThat(JobSecrets.of(Map.of("token", TOKEN)).toString())
                .contains("token")
                .doesNotContain(TOKEN);
    }

    private String text() {
        return sent.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }
}
