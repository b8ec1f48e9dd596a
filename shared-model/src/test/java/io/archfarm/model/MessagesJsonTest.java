package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.WorkerHeartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The records cross the broker as JSON: each must come back equal to what was sent. */
class MessagesJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void jobAssignmentRoundTrips() {
        var assignment = new JobAssignment(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 2, "linux/arm64",
                "git://127.0.0.1/hello.git", "main", "0123456789abcdef0123456789abcdef01234567", "Containerfile", ".",
                Map.of("GREETING", "hi"), "127.0.0.1:5000/demo/hello", 3600);
        assertThat(roundTrip(assignment)).isEqualTo(assignment);
    }

    @Test
    void jobFinishedRoundTrips() {
        var finished = new JobFinished(UUID.randomUUID(), UUID.randomUUID(), 1, "w-1", JobOutcome.FAILED, null, 0,
                null, "step failed", 3, Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:01:00Z"),
                60_000);
        assertThat(roundTrip(finished)).isEqualTo(finished);
    }

    @Test
    void heartbeatRoundTrips() {
        var heartbeat = new WorkerHeartbeat(UUID.randomUUID(), "w-1", "host", List.of("linux/amd64"),
                List.of("linux/arm64"), 2, List.of(new WorkerHeartbeat.RunningJob(UUID.randomUUID(), 1)), false,
                Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(roundTrip(heartbeat)).isEqualTo(heartbeat);
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T message) {
        return (T) json.readValue(json.writeValueAsString(message), message.getClass());
    }
}
