package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.worker.WorkerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker with its management port and JSON logs, against the real RabbitMQ, the test standing in for the
 * scheduler: its tools go out in heartbeats and claims, a job's log lines carry the job's ids, a failed fetch is
 * counted as a git error, and {@code /actuator/prometheus} shows it.
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "archfarm.worker.id=observed-it",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=none",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.management-port=0",
            "archfarm.git.allow-file-urls=true",
            "logging.structured.format.console=ecs"
        })
@Import(ArchfarmTestBroker.class)
@ExtendWith(OutputCaptureExtension.class)
class WorkerObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    @Autowired
    RabbitTemplate template;

    @Autowired
    Topology topology;

    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void workerDirectory(DynamicPropertyRegistry properties) {
        properties.add("archfarm.worker.work-dir", () -> dir.resolve("worker").toString());
    }

    @BeforeEach
    void schedulerTopology() {
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64));
            return null;
        });
    }

    @Test
    void aJobIsLoggedWithItsIdsCountedAndShownToAScraper(CapturedOutput output) throws Exception {
        WorkerHeartbeat heartbeat = await().atMost(WAIT)
                                .until(
                                        () -> template.receiveAndConvert(topology.heartbeatsQueue()),
                                        WorkerHeartbeat.class::isInstance)
                        instanceof WorkerHeartbeat beat
                ? beat
                : null;
        assertThat(heartbeat.tools().buildah())
                .as("buildah --version on this host")
                .matches("\\d+\\.\\d+.*");
        assertThat(heartbeat.tools().kernel()).isNotBlank();
        assertThat(heartbeat.tools().storageDriver()).isIn("overlay", "vfs");
        String before = scrape("/actuator/prometheus");
        assertThat(before)
                .contains("archfarm_worker_slots{worker=\"observed-it\"} 1.0")
                .contains("archfarm_git_errors_total{kind=\"refused\"} 0.0");

        JobAssignment job = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                "file://" + dir.resolve("no-such-repository"),
                "main",
                "0".repeat(40),
                false,
                "Containerfile",
                ".",
                Map.of(),
                "127.0.0.1:5000/observed/it",
                600);
        template.convertAndSend(
                topology.jobsExchange(), topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
        ClaimRequest claim = answerClaim();
        assertThat(claim.tools())
                .as("the claim says what the attempt runs with")
                .isEqualTo(heartbeat.tools());
        JobFinished finished = awaitResult(job.jobId());
        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);

        JsonNode ended = await().atMost(WAIT)
                .until(() -> jsonLine(output, "job " + job.jobId() + " attempt 1 ended"), line -> line != null);
        assertThat(ended.get("buildId").asString()).isEqualTo(job.buildId().toString());
        assertThat(ended.get("jobId").asString()).isEqualTo(job.jobId().toString());
        assertThat(ended.get("platform").asString()).isEqualTo("linux/amd64");
        assertThat(ended.get("attempt").asString()).isEqualTo("1");
        String after = scrape("/actuator/prometheus");
        assertThat(after)
                .contains("archfarm_git_errors_total{kind=\"refused\"} 1.0")
                .contains("archfarm_worker_jobs_total{mode=\"NATIVE\",outcome=\"FAILED\",platform=\"linux/amd64\","
                        + "worker=\"observed-it\"} 1.0");
        assertThat(scrape("/actuator/info")).contains("\"worker\"").contains("\"buildah\"");
    }

    /** The console line in JSON whose message starts with {@code message}, or null. */
    private static JsonNode jsonLine(CapturedOutput output, String message) {
        return output.getOut()
                .lines()
                .filter(line -> line.startsWith("{"))
                .map(JSON::readTree)
                .filter(line -> line.path("message").asString("").startsWith(message))
                .findFirst()
                .orElse(null);
    }

    private String scrape(String path) throws Exception {
        int port = context.getWebServer().getPort();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }

    private ClaimRequest answerClaim() {
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> template.receiveAndReply(topology.claimsQueue(), (ClaimRequest request) -> {
                    claims.add(request);
                    return new ClaimReply(UUID.randomUUID(), request.messageId(), true, null);
                }));
        return claims.getFirst();
    }

    private JobFinished awaitResult(UUID jobId) {
        return (JobFinished) await("JobFinished of " + jobId)
                .atMost(WAIT)
                .until(
                        () -> template.receiveAndConvert(topology.jobResultsQueue()),
                        message -> message instanceof JobFinished finished
                                && finished.jobId().equals(jobId));
    }
}
