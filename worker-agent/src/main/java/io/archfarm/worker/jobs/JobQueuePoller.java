package io.archfarm.worker.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.worker.WorkerIdentity;
import io.archfarm.worker.build.JobCredential;
import io.archfarm.worker.build.JobSecrets;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Takes at most one job from the job queues that exist (its own first, then native, then emulated) and claims it.
 * The message stays unacked only while the claim is asked: it is acked once the scheduler answered, so a build of
 * hours never meets RabbitMQ's consumer_timeout. Without an answer it goes back to the queue for another worker or a
 * later try.
 */
@Component
class JobQueuePoller {

    /** What one poll found. */
    sealed interface Poll {
        /**
         * @param credential the project's registry credential, opened, when the scheduler sent one
         * @param secrets    the build's secrets, opened
         * @param claim      the claim's round trip: request sent to answer read (a phase of the job)
         */
        record Claimed(JobAssignment job, ExecutionMode mode, Optional<JobCredential> credential,
                JobSecrets secrets, Duration claim) implements Poll {
        }

        /** A message was taken and dropped (refused claim, unreadable): look again at once. */
        record Dropped() implements Poll {
        }

        record Empty() implements Poll {
        }

        /** The scheduler did not answer: give it time before asking again. */
        record NoAnswer() implements Poll {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobQueuePoller.class);

    private final RabbitTemplate template;
    private final MessageConverter converter;
    private final SchedulerTopology schedulerTopology;
    private final WorkerPublisher publisher;
    private final WorkerIdentity identity;
    private final WorkerKey key;
    private final DefaultMessagePropertiesConverter properties = new DefaultMessagePropertiesConverter();

    JobQueuePoller(RabbitTemplate template, MessageConverter converter, SchedulerTopology schedulerTopology,
            WorkerPublisher publisher, WorkerIdentity identity, WorkerKey key) {
        this.key = key;
        this.template = template;
        this.converter = converter;
        this.schedulerTopology = schedulerTopology;
        this.publisher = publisher;
        this.identity = identity;
    }

    Poll poll() {
        List<JobQueues.JobQueue> queues = schedulerTopology.existingJobQueues();
        if (queues.isEmpty()) {
            return new Poll.Empty();
        }
        for (JobQueues.JobQueue queue : queues) {
            Poll poll;
            try {
                poll = template.execute(channel -> {
                    GetResponse response = channel.basicGet(queue.name(), false);
                    return response == null ? null : claim(channel, response, queue);
                });
            } catch (AmqpException e) {
                if (!queueGone(e)) {
                    throw e;
                }
                // a basic.get on a queue that is gone closes the channel; the other queues are still worth a look
                schedulerTopology.lost(queue);
                continue;
            }
            if (poll != null) {
                return poll;
            }
        }
        return new Poll.Empty();
    }

    /** Whether the broker closed the channel because the queue does not exist (404 NOT_FOUND). */
    static boolean queueGone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404) {
                return true;
            }
        }
        return false;
    }

    private Poll claim(Channel channel, GetResponse response, JobQueues.JobQueue queue) throws IOException {
        long tag = response.getEnvelope().getDeliveryTag();
        JobAssignment job;
        try {
            job = (JobAssignment) converter.fromMessage(new Message(response.getBody(),
                    properties.toMessageProperties(response.getProps(), response.getEnvelope(), "UTF-8")));
        } catch (RuntimeException e) {
            LOG.error("dropping a message on {} that is not a readable JobAssignment: {}", queue.name(), e.toString());
            channel.basicReject(tag, false);
            return new Poll.Dropped();
        }
        ExecutionMode mode = queue.mode() != null ? queue.mode() : job.mode();
        if (mode == null) {
            LOG.error("dropping job {} attempt {} on {}: it names no execution mode", job.jobId(), job.attempt(),
                    queue.name());
            channel.basicReject(tag, false);
            return new Poll.Dropped();
        }
        long claimStart = System.nanoTime();
        Optional<ClaimReply> reply = ask(new ClaimRequest(UUID.randomUUID(), job.jobId(), job.attempt(),
                identity.id(), mode, key.publicKey()));
        if (reply.isEmpty()) {
            channel.basicNack(tag, false, true);
            return new Poll.NoAnswer();
        }
        channel.basicAck(tag, false);
        if (!reply.get().granted()) {
            LOG.info("claim of job {} attempt {} refused ({}): dropping this copy", job.jobId(), job.attempt(),
                    reply.get().reason());
            return new Poll.Dropped();
        }
        LOG.info("claimed job {} attempt {} ({} {}{})", job.jobId(), job.attempt(), job.platform(), mode,
                queue.mode() == null ? ", offered to this worker" : "");
        Duration claim = Duration.ofNanos(System.nanoTime() - claimStart);
        return new Poll.Claimed(job, mode, credential(job, reply.get()), secrets(job, reply.get()), claim);
    }

    private Optional<JobCredential> credential(JobAssignment job, ClaimReply reply) {
        if (reply.credential() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(key.open(reply.credential()));
        } catch (IllegalArgumentException e) {
            LOG.error("job {} attempt {}: its registry credential cannot be opened, it runs without: {}",
                    job.jobId(), job.attempt(), e.getMessage());
            return Optional.empty();
        }
    }

    private JobSecrets secrets(JobAssignment job, ClaimReply reply) {
        if (reply.secrets() == null) {
            return JobSecrets.none();
        }
        try {
            return key.openSecrets(reply.secrets());
        } catch (IllegalArgumentException e) {
            LOG.error("job {} attempt {}: its build secrets cannot be opened, it runs without: {}", job.jobId(),
                    job.attempt(), e.getMessage());
            return JobSecrets.none();
        }
    }

    private Optional<ClaimReply> ask(ClaimRequest request) {
        try {
            Optional<ClaimReply> reply = publisher.claim(request);
            if (reply.isEmpty()) {
                LOG.warn("no answer to the claim of job {} attempt {}: leaving it in the queue", request.jobId(),
                        request.attempt());
            }
            return reply;
        } catch (AmqpException e) {
            LOG.warn("claim of job {} attempt {} failed: {}", request.jobId(), request.attempt(), e.toString());
            return Optional.empty();
        }
    }
}
