package io.archfarm.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.model.messages.WorkerTools;
import io.archfarm.scheduler.Farm;
import io.archfarm.testing.ArchfarmTestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scheduler's metrics, info, the tools it keeps and its JSON logs, against real PostgreSQL and RabbitMQ with the
 * test playing a worker of a platform no other test uses.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.heartbeat-timeout=60s",
            "archfarm.metrics.database-refresh=1h",
            "logging.structured.format.console=ecs"
        })
@Import({ArchfarmTestServices.class, Farm.class})
@ExtendWith(OutputCaptureExtension.class)
class SchedulerMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PLATFORM = "linux/386";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    Farm farm;

    @Autowired
    FarmGauges gauges;

    @LocalServerPort
    int port;

    @Test
    void aJobsDispatchAndRunAreMeasuredAndItsToolsAndIdsKept(CapturedOutput output) throws Exception {
        WorkerTools tools = new WorkerTools(
                "6.1.0-28-amd64",
                "overlay",
                "1.28.2\u001b[31m",
                "1.9.3",
                Map.of("linux/arm64", "7.2.22", "not a platform", "1.0"));
        farm.send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        "w-386",
                        "host-386",
                        List.of(PLATFORM),
                        List.of(),
                        3,
                        List.of(),
                        false,
                        Instant.now(),
                        "overlay",
                        List.of(),
                        tools));
        await().atMost(WAIT)
                .until(() -> farm.jdbc()
                        .sql("select tools::text from workers where id = 'w-386'")
                        .query(String.class)
                        .optional()
                        .isPresent());
        JsonNode kept = JSON.readTree(farm.jdbc()
                .sql("select tools::text from workers where id = 'w-386'")
                .query(String.class)
                .single());
        assertThat(kept.get("buildah").asString()).as("control characters go").isEqualTo("1.28.2 [31m");
        assertThat(kept.get("qemu").properties())
                .as("only platforms the farm knows")
                .hasSize(1);
        assertThat(kept.get("kernel").asString()).isEqualTo("6.1.0-28-amd64");

        UUID buildId = farm.requestBuild(
                List.of(PLATFORM), "NATIVE_ONLY", "ALL", "127.0.0.1:1/demo/metrics", List.of("latest"));
        JobAssignment job = farm.takeAssignment(PLATFORM, ExecutionMode.NATIVE);
        assertThat(farm.claim(new ClaimRequest(
                                UUID.randomUUID(),
                                job.jobId(),
                                job.attempt(),
                                "w-386",
                                ExecutionMode.NATIVE,
                                null,
                                tools))
                        .granted())
                .isTrue();
        assertThat(JSON.readTree(farm.job(job.jobId()).get("tools").toString())
                        .get("skopeo")
                        .asString())
                .as("the job records what its attempt runs with")
                .isEqualTo("1.9.3");
        farm.finished(job.jobId(), job.attempt(), "w-386", JobOutcome.FAILED, "step 2 failed");
        await().atMost(WAIT).until(() -> farm.jobStatus(job.jobId()).equals("FAILED"));

        JsonNode granted = jsonLine(output, "job " + job.jobId() + " (" + PLATFORM + ") attempt 1 granted");
        assertThat(granted.get("buildId").asString()).isEqualTo(buildId.toString());
        assertThat(granted.get("jobId").asString()).isEqualTo(job.jobId().toString());
        assertThat(granted.get("platform").asString()).isEqualTo(PLATFORM);
        assertThat(granted.get("attempt").asString()).isEqualTo("1");

        gauges.refresh();
        String metrics = get("/actuator/prometheus");
        assertThat(metrics)
                .contains("archfarm_dispatch_latency_seconds_count{mode=\"NATIVE\",platform=\"" + PLATFORM + "\"} 1")
                .contains("archfarm_job_duration_seconds_count{mode=\"NATIVE\",outcome=\"FAILED\",platform=\""
                        + PLATFORM + "\"} 1")
                .containsPattern("archfarm_builds\\{status=\"FAILED\"} [1-9]")
                .containsPattern("archfarm_fleet_slots [3-9]")
                .contains("archfarm_queue_depth{mode=\"NATIVE\",platform=\"" + PLATFORM + "\"} 0")
                .contains("archfarm_outbox_lag_seconds ")
                .contains("archfarm_registry_errors_total{kind=\"unreachable\"}");
        assertThat(get("/actuator/info")).contains("\"build\"").contains("\"version\":\"0.1.0-SNAPSHOT\"");
    }

    /** The console line in JSON whose message starts with {@code message}. */
    private static JsonNode jsonLine(CapturedOutput output, String message) {
        return await().atMost(WAIT)
                .until(
                        () -> output.getOut()
                                .lines()
                                .filter(line -> line.startsWith("{"))
                                .map(JSON::readTree)
                                .filter(line ->
                                        line.path("message").asString("").startsWith(message))
                                .findFirst()
                                .orElse(null),
                        line -> line != null);
    }

    private String get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }
}
