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
import io.archfarm.testing.RequiredTools;
import io.archfarm.testing.SchedulerDeclarations;
import io.archfarm.worker.WorkerApplication;
import io.archfarm.worker.testing.SilentGitServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A worker that shuts down kills what it runs and reports it INFRA_FAILED, so that the scheduler retries it. */
@SpringBootTest(
        classes = WorkerApplication.class,
        properties = {
            "archfarm.worker.id=shutdown-it",
            "archfarm.worker.native-platforms=linux/amd64",
            "archfarm.worker.emulated-platforms=none",
            "archfarm.worker.heartbeat-interval=500ms"
        })
@Import(ArchfarmTestBroker.class)
@DirtiesContext
class WorkerShutdownIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    @Autowired
    ConfigurableApplicationContext worker;

    @Autowired
    RabbitTemplate template;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    Topology topology;

    @Autowired
    RabbitConnectionDetails rabbit;

    @Autowired
    MessageConverter converter;

    @DynamicPropertySource
    static void workDir(DynamicPropertyRegistry properties) {
        properties.add("archfarm.worker.work-dir", () -> dir.resolve("worker").toString());
        // the silent git server is on loopback, which the host rule refuses unless allowed
        properties.add("archfarm.git.allowed-hosts", () -> "127.0.0.1");
    }

    @Test
    void aShutdownKillsTheRunningJobAndReportsItAsAnInfrastructureFailure() throws Exception {
        RequiredTools.require("git");
        template.execute(channel -> {
            SchedulerDeclarations.declare(channel, topology, List.of(Platform.LINUX_AMD64));
            return null;
        });
        try (SilentGitServer silent = new SilentGitServer()) {
            JobAssignment job = new JobAssignment(
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    2,
                    "linux/amd64",
                    silent.url(),
                    "main",
                    "a".repeat(40),
                    false,
                    "Containerfile",
                    ".",
                    Map.of(),
                    "127.0.0.1:5000/demo/shutdown",
                    600);
            template.convertAndSend(
                    topology.jobsExchange(), topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE), job);
            await("a ClaimRequest")
                    .atMost(WAIT)
                    .until(() -> template.receiveAndReply(
                            topology.claimsQueue(),
                            (ClaimRequest request) ->
                                    new ClaimReply(UUID.randomUUID(), request.messageId(), true, null)));
            var running = new WorkerHeartbeat.RunningJob(job.jobId(), job.attempt());
            await("a heartbeat listing the job")
                    .atMost(WAIT)
                    .until(() ->
                            template.receiveAndConvert(topology.heartbeatsQueue()) instanceof WorkerHeartbeat heartbeat
                                    && heartbeat.running().contains(running));

            // stops every lifecycle bean in phase order, as a SIGTERM does before the beans are destroyed
            worker.stop();

            CachingConnectionFactory connections = new CachingConnectionFactory(
                    rabbit.getFirstAddress().host(), rabbit.getFirstAddress().port());
            connections.setUsername(rabbit.getUsername());
            connections.setPassword(rabbit.getPassword());
            if (rabbit.getVirtualHost() != null) {
                connections.setVirtualHost(rabbit.getVirtualHost());
            }
            try {
                RabbitTemplate reader = new RabbitTemplate(connections);
                reader.setMessageConverter(converter);
                JobFinished finished = (JobFinished) await("the JobFinished sent while shutting down")
                        .atMost(WAIT)
                        .until(() -> reader.receiveAndConvert(topology.jobResultsQueue()), result -> result != null);
                assertThat(finished.jobId()).isEqualTo(job.jobId());
                assertThat(finished.attempt()).isEqualTo(2);
                assertThat(finished.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
                assertThat(finished.error()).isEqualTo("worker shutting down");
                assertThat(finished.workerId()).isEqualTo("shutdown-it");
            } finally {
                connections.destroy();
            }
        }
    }
}
