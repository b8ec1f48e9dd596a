package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.CancelJob;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.ArchfarmTestBroker;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.worker.WorkerApplication;
import io.archfarm.worker.testing.GitRepository;
import io.archfarm.worker.testing.SilentGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker's whole Spring context against the real RabbitMQ, with the test standing in for the scheduler: it
 * answers claims and reads heartbeats, log chunks and results from the scheduler's queues.
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=flow-it",
            "archfarm.worker.slots=2",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=linux/s390x",
            "archfarm.worker.heartbeat-interval=500ms",
            "archfarm.worker.claim-timeout=5s",
            "archfarm.git.allow-file-urls=true"
        })
@Import(ArchfarmTestBroker.class)
class WorkerFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static GitRepository repository;
    static String commit;
    static SilentGitServer silentServer;

    @Autowired
    RabbitTemplate template;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    Topology topology;

    private final List<Object> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void realToolsARegistryAndARepository() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        repository = GitRepository.create(dir.resolve("repo"));
        commit = repository.commit(
                Map.of("Containerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n", "hello.txt", "hello\n"));
        silentServer = new SilentGitServer();
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (silentServer != null) {
            silentServer.close();
        }
    }

    @DynamicPropertySource
    static void workerDirectories(DynamicPropertyRegistry properties) {
        properties.add("archfarm.worker.work-dir", () -> dir.resolve("worker").toString());
        properties.add("archfarm.registry.insecure", () -> registry.address());
        // the silent git server is on loopback, which the host rule refuses unless allowed
        properties.add("archfarm.git.allowed-hosts", () -> "127.0.0.1");
    }

    /** The exchanges and queues, declared as the scheduler (who owns them) would. */
    @BeforeEach
    void schedulerTopology() {
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64, Platform.LINUX_S390X));
            return null;
        });
    }

    @Test
    void buildsAGrantedJobAndReportsLogsHeartbeatsAndTheDigest() throws Exception {
        JobAssignment job = job(repository.url(), "demo/flow");
        String queue = topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE);
        template.convertAndSend(topology.jobsExchange(), queue, job);

        ClaimRequest claim = answerClaim(true);
        assertThat(claim.jobId()).isEqualTo(job.jobId());
        assertThat(claim.attempt()).isEqualTo(job.attempt());
        assertThat(claim.workerId()).isEqualTo("flow-it");
        assertThat(claim.mode()).isEqualTo(ExecutionMode.NATIVE);

        JobFinished finished = awaitResult(job.jobId());
        assertThat(finished.outcome()).as(logOf(job.jobId())).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(finished.digest()).startsWith("sha256:");
        assertThat(finished.phases().claim())
                .as("the claim's round trip is a phase of the job")
                .isNotNull()
                .isNotNegative();
        assertThat(registry.get("/v2/demo/flow/manifests/" + finished.digest(), LocalRegistry.OCI_MANIFEST)
                        .statusCode())
                .isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> {
            drain(topology.jobLogsQueue());
            assertThat(logOf(job.jobId()))
                    .contains("fetching " + repository.url() + " at " + commit)
                    .contains("pushed " + registry.address() + "/demo/flow@" + finished.digest());
        });
        assertThat(chunksOf(job.jobId())).extracting(JobLogChunk::seq).startsWith(0L);

        WorkerHeartbeat heartbeat = awaitHeartbeat(h -> true);
        assertThat(heartbeat.workerId()).isEqualTo("flow-it");
        assertThat(heartbeat.nativePlatforms()).containsExactly("linux/amd64");
        assertThat(heartbeat.emulatedPlatforms()).containsExactly("linux/s390x");
        assertThat(heartbeat.slots()).isEqualTo(2);
        assertThat(heartbeat.storageDriver())
                .as("detected at start (storage-driver auto): this host has overlay")
                .isEqualTo("overlay");
        assertThat(admin.getQueueInfo(queue).getMessageCount())
                .as("the job message was acked")
                .isZero();
    }

    @Test
    void aRefusedClaimBuildsNothingAndDropsTheCopy() {
        JobAssignment job = job(repository.url(), "demo/refused");
        String queue = topology.jobQueue(Platform.LINUX_S390X, ExecutionMode.EMULATED);
        template.convertAndSend(topology.jobsExchange(), queue, job);

        ClaimRequest claim = answerClaim(false);
        assertThat(claim.jobId()).isEqualTo(job.jobId());
        assertThat(claim.mode()).isEqualTo(ExecutionMode.EMULATED);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            drain(topology.jobLogsQueue());
            drain(topology.jobResultsQueue());
            assertThat(chunksOf(job.jobId())).isEmpty();
            assertThat(resultOf(job.jobId())).isNull();
        });
        assertThat(admin.getQueueInfo(queue).getMessageCount())
                .as("the stale copy was dropped")
                .isZero();
    }

    @Test
    void aCancelledJobIsKilledAndReportedCancelled() {
        JobAssignment job = job(silentServer.url(), "demo/cancelled");
        template.convertAndSend(
                topology.jobsExchange(), topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
        answerClaim(true);
        awaitHeartbeat(h -> h.running().contains(new WorkerHeartbeat.RunningJob(job.jobId(), job.attempt())));

        template.convertAndSend(
                topology.controlExchange(),
                "",
                new CancelJob(UUID.randomUUID(), job.jobId(), job.attempt(), "cancelled by the test"));

        JobFinished finished = awaitResult(job.jobId());
        assertThat(finished.outcome()).isEqualTo(JobOutcome.CANCELLED);
        assertThat(finished.error()).isEqualTo("cancelled by the test");
        awaitHeartbeat(h -> h.running().stream().noneMatch(r -> r.jobId().equals(job.jobId())));
    }

    @Test
    void anUnansweredClaimLeavesTheJobInTheQueueForTheNextTry() {
        JobAssignment job = job(repository.url(), "demo/unanswered");
        template.convertAndSend(
                topology.jobsExchange(), topology.jobQueue(Platform.LINUX_S390X, ExecutionMode.EMULATED), job);

        Object unanswered = await("a first ClaimRequest")
                .atMost(WAIT)
                .until(() -> template.receiveAndConvert(topology.claimsQueue()), claim -> claim != null);
        assertThat(((ClaimRequest) unanswered).jobId()).isEqualTo(job.jobId());

        ClaimRequest again = answerClaim(false);
        assertThat(again.jobId())
                .as("the same job, requeued after the claim timed out")
                .isEqualTo(job.jobId());
        assertThat(again.messageId()).isNotEqualTo(((ClaimRequest) unanswered).messageId());
    }

    @Test
    void claimsAnOfferOnItsOwnQueueInTheOfferedModeAndGetsOverItsQueueGoingAway() {
        String own = topology.workerJobQueue("flow-it");
        declareOwnQueue(own);
        JobAssignment offered = job(repository.url(), "demo/offered").forWorker(ExecutionMode.EMULATED);
        template.convertAndSend(topology.jobsExchange(), own, offered);

        ClaimRequest claim = answerClaim(false);
        assertThat(claim.jobId()).isEqualTo(offered.jobId());
        assertThat(claim.mode()).as("the mode the offer names, not a queue's").isEqualTo(ExecutionMode.EMULATED);

        // the queue expires (the worker was cut off for long): the shared queues still feed the worker
        admin.deleteQueue(own);
        JobAssignment shared = job(repository.url(), "demo/shared");
        template.convertAndSend(
                topology.jobsExchange(), topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), shared);
        ClaimRequest sharedClaim = answerClaim(false);
        assertThat(sharedClaim.jobId()).isEqualTo(shared.jobId());
        assertThat(sharedClaim.mode()).isEqualTo(ExecutionMode.NATIVE);

        // declared again (the scheduler does on the next heartbeat): offers reach the worker again
        declareOwnQueue(own);
        JobAssignment again = job(repository.url(), "demo/again").forWorker(ExecutionMode.NATIVE);
        template.convertAndSend(topology.jobsExchange(), own, again);
        assertThat(answerClaim(false).jobId()).isEqualTo(again.jobId());
    }

    /** As the scheduler's JobQueues declares a worker's own queue. */
    private void declareOwnQueue(String name) {
        Queue queue = QueueBuilder.durable(name)
                .classic()
                .expires((int) Duration.ofMinutes(30).toMillis())
                .build();
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue)
                .to(new DirectExchange(topology.jobsExchange(), true, false))
                .with(name));
    }

    private JobAssignment job(String repositoryUrl, String repositoryName) {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repositoryUrl,
                "main",
                commit,
                false,
                "Containerfile",
                ".",
                Map.of(),
                registry.address() + "/" + repositoryName,
                600);
    }

    /** Answers the next claim as the scheduler would, and returns it. */
    private ClaimRequest answerClaim(boolean grant) {
        List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
        await("a ClaimRequest")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> template.receiveAndReply(topology.claimsQueue(), (ClaimRequest request) -> {
                    claims.add(request);
                    return new ClaimReply(
                            UUID.randomUUID(),
                            request.messageId(),
                            grant,
                            grant ? null : "attempt is no longer queued");
                }));
        return claims.getFirst();
    }

    private JobFinished awaitResult(UUID jobId) {
        return await("JobFinished of " + jobId)
                .atMost(WAIT)
                .until(
                        () -> {
                            drain(topology.jobResultsQueue());
                            return resultOf(jobId);
                        },
                        result -> result != null);
    }

    private WorkerHeartbeat awaitHeartbeat(Predicate<WorkerHeartbeat> matching) {
        return await("a matching heartbeat")
                .atMost(WAIT)
                .until(
                        () -> {
                            Object message = template.receiveAndConvert(topology.heartbeatsQueue());
                            return message instanceof WorkerHeartbeat heartbeat && matching.test(heartbeat)
                                    ? heartbeat
                                    : null;
                        },
                        heartbeat -> heartbeat != null);
    }

    private void drain(String queue) {
        Object message;
        while ((message = template.receiveAndConvert(queue)) != null) {
            received.add(message);
        }
    }

    private JobFinished resultOf(UUID jobId) {
        return received.stream()
                .filter(m -> m instanceof JobFinished f && f.jobId().equals(jobId))
                .map(JobFinished.class::cast)
                .findFirst()
                .orElse(null);
    }

    private List<JobLogChunk> chunksOf(UUID jobId) {
        return received.stream()
                .filter(m -> m instanceof JobLogChunk c && c.jobId().equals(jobId))
                .map(JobLogChunk.class::cast)
                .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                .toList();
    }

    private String logOf(UUID jobId) {
        return chunksOf(jobId).stream().map(JobLogChunk::text).collect(Collectors.joining());
    }
}
