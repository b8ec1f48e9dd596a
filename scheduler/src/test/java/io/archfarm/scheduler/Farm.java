package io.archfarm.scheduler;

import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobPhases;
import io.archfarm.model.messages.Message;
import io.archfarm.model.messages.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test's hands: it plays the portal (a build row and its outbox row, in the portal's shape) and the workers
 * (heartbeats, basic.get on job queues, claims, results), through the real database and the real broker.
 */
public class Farm {

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final Topology topology;
    private final AmqpAdmin admin;

    Farm(JdbcClient jdbc, RabbitTemplate rabbit, JsonMapper json, Topology topology, AmqpAdmin admin) {
        this.admin = admin;
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.json = json;
        this.topology = topology;
    }

    public UUID requestBuild(
            List<String> platforms, String placement, String publish, String image, List<String> tags) {
        return requestBuild(platforms, placement, Map.of(), publish, image, tags);
    }

    /** @param platformPlacements canonical platform to placement, for platforms placed unlike the build */
    public UUID requestBuild(
            List<String> platforms,
            String placement,
            Map<String, String> platformPlacements,
            String publish,
            String image,
            List<String> tags) {
        return requestBuild(platforms, placement, platformPlacements, publish, image, tags, false);
    }

    /** A build of a project that asks for its submodules ({@code builds.fetch_submodules}). */
    public UUID requestBuildFetchingSubmodules(
            List<String> platforms, String placement, String publish, String image, List<String> tags) {
        return requestBuild(platforms, placement, Map.of(), publish, image, tags, true);
    }

    /**
     * A build as the portal records one with the layer cache settings: of {@code teamId} (null: no team), with its
     * project's {@code layerCache} and the request's {@code noCache}.
     */
    public UUID requestBuildWithCache(UUID teamId, List<String> platforms, boolean layerCache, boolean noCache) {
        return requestBuild(
                platforms,
                "NATIVE_ONLY",
                Map.of(),
                "ALL",
                "127.0.0.1:1/demo/cached",
                List.of("latest"),
                false,
                teamId,
                layerCache,
                noCache);
    }

    /** A team, as the portal keeps them; builds refer to it. */
    public UUID team(String slug) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into teams (id, slug, name, created_at) values (:id, :slug, :slug, now())")
                .param("id", id)
                .param("slug", slug)
                .update();
        return id;
    }

    private UUID requestBuild(
            List<String> platforms,
            String placement,
            Map<String, String> platformPlacements,
            String publish,
            String image,
            List<String> tags,
            boolean fetchSubmodules) {
        return requestBuild(
                platforms, placement, platformPlacements, publish, image, tags, fetchSubmodules, null, true, false);
    }

    private UUID requestBuild(
            List<String> platforms,
            String placement,
            Map<String, String> platformPlacements,
            String publish,
            String image,
            List<String> tags,
            boolean fetchSubmodules,
            UUID teamId,
            boolean layerCache,
            boolean noCache) {
        UUID buildId = UUID.randomUUID();
        jdbc.sql("""
                insert into builds (id, status, repository, ref, commit_sha, fetch_submodules, containerfile,
                    context_dir, image, tags, platforms, build_args, placement, platform_placements, publish,
                    requested_by, created_at, team_id, layer_cache, no_cache)
                values (:id, 'QUEUED', 'https://git.example/demo.git', 'main', 'c0ffee0000000000000000000000000000000000',
                    :fetchSubmodules, 'Containerfile', '.', :image, cast(:tags as jsonb), cast(:platforms as jsonb),
                    '{}', :placement, cast(:platformPlacements as jsonb), :publish, 'alice', now(), :team,
                    :layerCache, :noCache)""")
                .param("id", buildId)
                .param("fetchSubmodules", fetchSubmodules)
                .param("image", image)
                .param("team", teamId)
                .param("layerCache", layerCache)
                .param("noCache", noCache)
                .param("tags", json.writeValueAsString(tags))
                .param("platforms", json.writeValueAsString(platforms))
                .param("placement", placement)
                .param("platformPlacements", json.writeValueAsString(platformPlacements))
                .param("publish", publish)
                .update();
        portalOutbox(Topology.BUILD_REQUESTED, new BuildRequested(UUID.randomUUID(), buildId, Instant.now()));
        return buildId;
    }

    public void requestCancel(UUID buildId) {
        requestCancel(buildId, "bob", null);
    }

    /** As the portal asks: the mark, then the message; a reason when the farm itself asks (a superseded build). */
    public void requestCancel(UUID buildId, String requestedBy, String reason) {
        jdbc.sql("update builds set cancel_requested_at = now() where id = :id")
                .param("id", buildId)
                .update();
        portalOutbox(
                Topology.BUILD_CANCEL_REQUESTED,
                new BuildCancelRequested(UUID.randomUUID(), buildId, requestedBy, Instant.now(), reason));
    }

    /** As the portal asks for a retry of the failed platforms: the mark against double requests, then the message. */
    public BuildRetryRequested requestRetry(UUID buildId) {
        jdbc.sql("update builds set retry_requested_at = now() where id = :id")
                .param("id", buildId)
                .update();
        BuildRetryRequested retry = new BuildRetryRequested(UUID.randomUUID(), buildId, "carol", Instant.now());
        portalOutbox(Topology.BUILD_RETRY_REQUESTED, retry);
        return retry;
    }

    /** What the portal does: the message goes through the outbox, never straight to the broker. */
    public void portalOutbox(String routingKey, Message message) {
        jdbc.sql("insert into outbox (id, exchange_name, routing_key, message_type, payload)"
                        + " values (:id, :exchange, :key, :type, cast(:payload as jsonb))")
                .param("id", UUID.randomUUID())
                .param("exchange", topology.eventsExchange())
                .param("key", routingKey)
                .param("type", message.getClass().getName())
                .param("payload", json.writeValueAsString(message))
                .update();
    }

    public void heartbeat(
            String workerId,
            List<String> nativePlatforms,
            List<String> emulatedPlatforms,
            List<WorkerHeartbeat.RunningJob> running) {
        send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        workerId,
                        "host-" + workerId,
                        nativePlatforms,
                        emulatedPlatforms,
                        2,
                        running,
                        false,
                        Instant.now()));
    }

    /** A heartbeat that lists attempts the worker finished (their results on their way) apart from those it runs. */
    public void heartbeatWithFinished(
            String workerId,
            List<String> nativePlatforms,
            List<WorkerHeartbeat.RunningJob> running,
            List<WorkerHeartbeat.RunningJob> finished) {
        send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        workerId,
                        "host-" + workerId,
                        nativePlatforms,
                        List.of(),
                        2,
                        running,
                        false,
                        Instant.now(),
                        "overlay",
                        finished));
    }

    /** A heartbeat the worker sent at {@code sentAt}, as one read late from a long queue arrives. */
    public void heartbeatSentAt(
            String workerId, List<String> nativePlatforms, List<WorkerHeartbeat.RunningJob> running, Instant sentAt) {
        send(
                Topology.WORKER_HEARTBEAT,
                new WorkerHeartbeat(
                        UUID.randomUUID(),
                        workerId,
                        "host-" + workerId,
                        nativePlatforms,
                        List.of(),
                        2,
                        running,
                        false,
                        sentAt));
    }

    /** As a worker sends: claims, logs, results and heartbeats go to the worker events exchange. */
    public void send(String routingKey, Message message) {
        rabbit.convertAndSend(topology.workerEventsExchange(), routingKey, message);
    }

    /** Declares the job queue as a worker does before polling it (same arguments as the scheduler's). */
    public String queue(String platform, ExecutionMode mode) {
        String name = topology.jobQueue(Platform.parse(platform), mode);
        admin.declareQueue(QueueBuilder.durable(name).quorum().build());
        return name;
    }

    /** basic.get, as a worker polls, until a JobAssignment is there. */
    public JobAssignment takeAssignment(String platform, ExecutionMode mode) {
        String queue = queue(platform, mode);
        return await("a JobAssignment in " + queue)
                .atMost(Duration.ofSeconds(20))
                .until(() -> (JobAssignment) rabbit.receiveAndConvert(queue), a -> a != null);
    }

    /** basic.get once: null when the queue is empty. */
    public Object poll(String platform, ExecutionMode mode) {
        return rabbit.receiveAndConvert(queue(platform, mode));
    }

    public ClaimReply claim(UUID jobId, int attempt, String workerId, ExecutionMode mode) {
        return claim(new ClaimRequest(UUID.randomUUID(), jobId, attempt, workerId, mode));
    }

    public ClaimReply claim(ClaimRequest request) {
        Object reply = rabbit.convertSendAndReceive(topology.workerEventsExchange(), Topology.JOB_CLAIM, request);
        if (reply == null) {
            throw new AssertionError("no ClaimReply to " + request + " within the reply timeout");
        }
        return (ClaimReply) reply;
    }

    public JobFinished finished(UUID jobId, int attempt, String workerId, JobOutcome outcome, String error) {
        JobFinished result = new JobFinished(
                UUID.randomUUID(),
                jobId,
                attempt,
                workerId,
                outcome,
                null,
                0,
                null,
                error,
                outcome == JobOutcome.FAILED ? 1 : null,
                Instant.now(),
                Instant.now(),
                1234,
                "netns, egress none",
                JobPhases.onWorker(3L, 40L, 0L, 900L, 60L));
        send(Topology.JOB_FINISHED, result);
        return result;
    }

    public String jobStatus(UUID jobId) {
        return jdbc.sql("select status from platform_jobs where id = :id")
                .param("id", jobId)
                .query(String.class)
                .single();
    }

    public Map<String, Object> job(UUID jobId) {
        return jdbc.sql("select * from platform_jobs where id = :id")
                .param("id", jobId)
                .query()
                .singleRow();
    }

    public Map<String, Object> build(UUID buildId) {
        return jdbc.sql("select * from builds where id = :id")
                .param("id", buildId)
                .query()
                .singleRow();
    }

    public UUID jobOf(UUID buildId, String platform) {
        return await("platform job " + platform + " of build " + buildId)
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> jdbc.sql("select id from platform_jobs where build_id = :b and platform = :p")
                                .param("b", buildId)
                                .param("p", platform)
                                .query(UUID.class)
                                .optional(),
                        Optional::isPresent)
                .orElseThrow();
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public RabbitTemplate rabbit() {
        return rabbit;
    }

    public Topology topology() {
        return topology;
    }
}
