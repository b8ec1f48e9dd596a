package io.archfarm.worker.jobs;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.messages.Message;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.worker.WorkerProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Everything the worker sends to the scheduler, on the worker events exchange (the only one its broker user may
 * publish to), each message carrying its own id.
 */
@Component
class WorkerPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPublisher.class);
    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;
    private static final int RESULT_TRIES = 8;

    private final RabbitTemplate template;
    private final Topology topology;
    private final Set<String> returned = ConcurrentHashMap.newKeySet();

    WorkerPublisher(RabbitTemplate template, Topology topology, WorkerProperties properties) {
        this.template = template;
        this.topology = topology;
        template.setReplyTimeout(properties.claimTimeout().toMillis());
        // only results are awaited; a heartbeat nobody listens to yet is simply gone
        template.setReturnsCallback(message -> {
            var returnedProperties = message.getMessage().getMessageProperties();
            if (JobFinished.class.getName().equals(returnedProperties.getHeader("__TypeId__"))) {
                returned.add(returnedProperties.getMessageId());
            }
        });
    }

    void heartbeat(WorkerHeartbeat heartbeat) {
        send(Topology.WORKER_HEARTBEAT, heartbeat);
    }

    void logChunk(JobLogChunk chunk) {
        try {
            send(Topology.JOB_LOG, chunk);
        } catch (AmqpException e) {
            LOG.warn(
                    "log chunk {} of job {} attempt {} not sent: {}",
                    chunk.seq(),
                    chunk.jobId(),
                    chunk.attempt(),
                    e.toString());
        }
    }

    /** The scheduler's answer, or empty when none came within the claim timeout. */
    Optional<ClaimReply> claim(ClaimRequest request) {
        Object reply = template.convertSendAndReceive(
                topology.workerEventsExchange(), Topology.JOB_CLAIM, request, withId(request));
        if (reply instanceof ClaimReply claimReply && request.messageId().equals(claimReply.requestId())) {
            return Optional.of(claimReply);
        }
        if (reply != null) {
            LOG.warn("ignoring unexpected answer to claim {}: {}", request.messageId(), reply);
        }
        return Optional.empty();
    }

    /**
     * A result must reach the scheduler's queue: it is sent with publisher confirms and as mandatory, and sent again
     * (same message id, so the scheduler records it once) until it is confirmed and routed.
     */
    void finished(JobFinished result) {
        Duration pause = Duration.ofSeconds(1);
        for (int tries = 1; ; tries++) {
            try {
                sendConfirmed(result);
                return;
            } catch (AmqpException | IllegalStateException e) {
                if (tries == RESULT_TRIES) {
                    LOG.error(
                            "result of job {} attempt {} ({}) could not be delivered: {}",
                            result.jobId(),
                            result.attempt(),
                            result.outcome(),
                            e.toString());
                    return;
                }
                LOG.warn(
                        "result of job {} attempt {} not delivered yet ({}), trying again in {}",
                        result.jobId(),
                        result.attempt(),
                        e.toString(),
                        pause);
                pauseFor(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private void sendConfirmed(JobFinished result) {
        String id = result.messageId().toString();
        template.invoke(operations -> {
            operations.convertAndSend(topology.workerEventsExchange(), Topology.JOB_FINISHED, result, withId(result));
            operations.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            return null;
        });
        if (returned.remove(id)) {
            throw new IllegalStateException("no queue is bound to " + topology.workerEventsExchange() + "/"
                    + Topology.JOB_FINISHED + " (is the scheduler running?)");
        }
    }

    private void send(String routingKey, Message message) {
        template.convertAndSend(topology.workerEventsExchange(), routingKey, message, withId(message));
    }

    private static MessagePostProcessor withId(Message message) {
        return amqpMessage -> {
            amqpMessage.getMessageProperties().setMessageId(message.messageId().toString());
            return amqpMessage;
        };
    }

    private static void pauseFor(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
