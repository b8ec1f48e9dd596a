package io.archfarm.worker.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.WorkerTools;
import io.archfarm.worker.WorkerIdentity;
import io.archfarm.worker.build.JobCredential;
import io.archfarm.worker.build.JobSecrets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Claims the job of one message the broker pushed to this worker. The message stays unacked only while the claim is
 * asked: it is acked once the scheduler answered, so a build of hours never meets RabbitMQ's consumer_timeout.
 * Without an answer it goes back to the queue for another worker or a later try; a refused claim drops it (a stale
 * copy); a message that is no readable job is rejected.
 */
@Component
class JobClaims {

    /** What the claim of one message came to. */
    sealed interface Claim {
        /**
         * @param credential the project's registry credential, opened, when the scheduler sent one
         * @param secrets    the build's secrets, opened
         * @param claim      the claim's round trip: request sent to answer read (a phase of the job)
         */
        record Claimed(
                JobAssignment job,
                ExecutionMode mode,
                Optional<JobCredential> credential,
                JobSecrets secrets,
                Duration claim)
                implements Claim {}

        /** The message was dropped (refused claim, unreadable): the slot is free again. */
        record Dropped() implements Claim {}

        /** The scheduler did not answer: the message went back; give the scheduler time before the next claim. */
        record NoAnswer() implements Claim {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobClaims.class);

    private final MessageConverter converter;
    private final WorkerPublisher publisher;
    private final WorkerIdentity identity;
    private final WorkerKey key;
    private final WorkerTools tools;
    private final DefaultMessagePropertiesConverter properties = new DefaultMessagePropertiesConverter();

    JobClaims(
            MessageConverter converter,
            WorkerPublisher publisher,
            WorkerIdentity identity,
            WorkerKey key,
            WorkerTools tools) {
        this.key = key;
        this.tools = tools;
        this.converter = converter;
        this.publisher = publisher;
        this.identity = identity;
    }

    /** Whether the broker closed the channel because the queue does not exist (404 NOT_FOUND). */
    static boolean queueGone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal
                    && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == 404) {
                return true;
            }
        }
        return false;
    }

    Claim claim(JobDelivery delivery) {
        JobQueues.JobQueue queue = delivery.queue();
        JobAssignment job;
        try {
            job = (JobAssignment) converter.fromMessage(new Message(
                    delivery.body(),
                    properties.toMessageProperties(delivery.properties(), delivery.envelope(), "UTF-8")));
        } catch (RuntimeException e) {
            LOG.error("dropping a message on {} that is not a readable JobAssignment: {}", queue.name(), e.toString());
            delivery.reject();
            return new Claim.Dropped();
        }
        try (var context = JobLogContext.ofJob(job.buildId(), job.jobId(), job.platform(), job.attempt())) {
            return claim(delivery, job);
        }
    }

    private Claim claim(JobDelivery delivery, JobAssignment job) {
        JobQueues.JobQueue queue = delivery.queue();
        ExecutionMode mode = queue.mode() != null ? queue.mode() : job.mode();
        if (mode == null) {
            LOG.error(
                    "dropping job {} attempt {} on {}: it names no execution mode",
                    job.jobId(),
                    job.attempt(),
                    queue.name());
            delivery.reject();
            return new Claim.Dropped();
        }
        long claimStart = System.nanoTime();
        Optional<ClaimReply> reply = ask(new ClaimRequest(
                UUID.randomUUID(), job.jobId(), job.attempt(), identity.id(), mode, key.publicKey(), tools));
        if (reply.isEmpty()) {
            delivery.requeue();
            return new Claim.NoAnswer();
        }
        delivery.ack();
        if (!reply.get().granted()) {
            LOG.info(
                    "claim of job {} attempt {} refused ({}): dropping this copy",
                    job.jobId(),
                    job.attempt(),
                    reply.get().reason());
            return new Claim.Dropped();
        }
        LOG.info(
                "claimed job {} attempt {} ({} {}{})",
                job.jobId(),
                job.attempt(),
                job.platform(),
                mode,
                queue.mode() == null ? ", offered to this worker" : "");
        Duration claim = Duration.ofNanos(System.nanoTime() - claimStart);
        return new Claim.Claimed(job, mode, credential(job, reply.get()), secrets(job, reply.get()), claim);
    }

    private Optional<JobCredential> credential(JobAssignment job, ClaimReply reply) {
        if (reply.credential() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(key.open(reply.credential()));
        } catch (IllegalArgumentException e) {
            LOG.error(
                    "job {} attempt {}: its registry credential cannot be opened, it runs without: {}",
                    job.jobId(),
                    job.attempt(),
                    e.getMessage());
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
            LOG.error(
                    "job {} attempt {}: its build secrets cannot be opened, it runs without: {}",
                    job.jobId(),
                    job.attempt(),
                    e.getMessage());
            return JobSecrets.none();
        }
    }

    private Optional<ClaimReply> ask(ClaimRequest request) {
        try {
            Optional<ClaimReply> reply = publisher.claim(request);
            if (reply.isEmpty()) {
                LOG.warn(
                        "no answer to the claim of job {} attempt {}: leaving it in the queue",
                        request.jobId(),
                        request.attempt());
            }
            return reply;
        } catch (AmqpException e) {
            LOG.warn("claim of job {} attempt {} failed: {}", request.jobId(), request.attempt(), e.toString());
            return Optional.empty();
        }
    }
}
