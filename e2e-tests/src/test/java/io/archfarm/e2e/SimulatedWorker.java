package io.archfarm.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.messages.JobPhases;
import io.archfarm.model.messages.WorkerHeartbeat;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One simulated worker of a {@link SimulatedFleet}: one channel of its own for its consumers, on its own job queue
 * first and its platform's native queue, each with a prefetch of its free slots. A pushed job takes a free slot; when
 * none is left every consumer is cancelled, and a job pushed in that moment is put back; a slot that frees starts the
 * consumers again. The message is acked once the claim is answered, and put back without an answer.
 */
final class SimulatedWorker {

    final String id;
    final String platform;
    final SimulatedFleet.Publisher publisher;
    private final SimulatedFleet fleet;
    private final Channel channel;
    private final List<String> queues = new ArrayList<>();
    private final Map<String, String> consumers = new LinkedHashMap<>();
    private final Map<UUID, Integer> running = new ConcurrentHashMap<>();
    /** Attempts ended, by when, listed in heartbeats for a while as the real worker does (RunningJobs). */
    private final Map<WorkerHeartbeat.RunningJob, Instant> finished = new ConcurrentHashMap<>();

    private int free;
    private boolean stopped;

    SimulatedWorker(
            SimulatedFleet fleet, String id, String platform, Channel channel, SimulatedFleet.Publisher publisher) {
        this.fleet = fleet;
        this.id = id;
        this.platform = platform;
        this.channel = channel;
        this.publisher = publisher;
        this.free = fleet.settings.slots();
    }

    /** Looks once for its own queue and its native queue; true when both exist. */
    boolean findQueues() throws IOException {
        String own = fleet.topology.workerJobQueue(id);
        String nativeQueue = fleet.topology.jobQueue(Platform.parse(platform), ExecutionMode.NATIVE);
        if (fleet.queueExists(channel.getConnection(), own)
                && fleet.queueExists(channel.getConnection(), nativeQueue)) {
            queues.clear();
            queues.add(own);
            queues.add(nativeQueue);
            return true;
        }
        return false;
    }

    List<WorkerHeartbeat.RunningJob> running() {
        return running.entrySet().stream()
                .map(e -> new WorkerHeartbeat.RunningJob(e.getKey(), e.getValue()))
                .toList();
    }

    /** The attempts this worker ended within the last 10 minutes, as the real worker lists them. */
    List<WorkerHeartbeat.RunningJob> recentlyFinished(Instant now) {
        finished.values().removeIf(end -> end.isBefore(now.minus(Duration.ofMinutes(10))));
        return List.copyOf(finished.keySet());
    }

    /** Starts the consumers with a prefetch of the free slots, when there are free slots and no consumers. */
    synchronized void resume() {
        if (stopped || free == 0 || !consumers.isEmpty()) {
            return;
        }
        try {
            channel.basicQos(free);
            for (String queue : queues) {
                consumers.put(queue, channel.basicConsume(queue, false, new JobConsumer(queue)));
            }
        } catch (IOException | RuntimeException e) {
            fleet.counters.errors.incrementAndGet();
        }
    }

    private synchronized void cancelConsumers() {
        for (Map.Entry<String, String> consumer : consumers.entrySet()) {
            try {
                channel.basicCancel(consumer.getValue());
            } catch (IOException | RuntimeException e) {
                fleet.counters.errors.incrementAndGet();
            }
        }
        consumers.clear();
    }

    /** Takes a slot for a pushed job; false (the job is put back) when none is free. */
    private synchronized boolean reserveSlot() {
        if (free == 0 || stopped) {
            return false;
        }
        free--;
        if (free == 0) {
            cancelConsumers();
        }
        return true;
    }

    /** A slot is free again: the consumers start again with the larger prefetch. */
    private synchronized void freeSlot() {
        free++;
        cancelConsumers();
        resume();
    }

    synchronized void stop() {
        stopped = true;
    }

    private void take(String queue, Envelope envelope, byte[] body) {
        fleet.counters.pushed.incrementAndGet();
        if (!reserveSlot()) {
            fleet.counters.putBack.incrementAndGet();
            ack(envelope, false, true);
            return;
        }
        JobAssignment job;
        try {
            job = SimulatedFleet.JSON.readValue(body, JobAssignment.class);
        } catch (RuntimeException e) {
            fleet.counters.errors.incrementAndGet();
            ack(envelope, false, false);
            freeSlot();
            return;
        }
        ExecutionMode mode = queue.equals(queues.getLast()) ? ExecutionMode.NATIVE : job.mode();
        long claimStart = System.nanoTime();
        ClaimRequest request = new ClaimRequest(UUID.randomUUID(), job.jobId(), job.attempt(), id, mode);
        fleet.claim(publisher, request)
                .whenCompleteAsync((reply, failure) -> claimed(envelope, job, reply, claimStart), fleet.work);
    }

    private void claimed(Envelope envelope, JobAssignment job, ClaimReply reply, long claimStart) {
        if (reply == null) {
            fleet.counters.unanswered.incrementAndGet();
            ack(envelope, false, true);
            fleet.timers.schedule(() -> fleet.work.execute(this::freeSlot), 1, TimeUnit.SECONDS);
            return;
        }
        long claimMicros = (System.nanoTime() - claimStart) / 1_000;
        fleet.counters.claimMicros.add(claimMicros);
        ack(envelope, true, false);
        if (!reply.granted()) {
            fleet.counters.refused.incrementAndGet();
            freeSlot();
            return;
        }
        fleet.counters.granted.incrementAndGet();
        running.put(job.jobId(), job.attempt());
        Instant startedAt = Instant.now();
        try {
            for (int seq = 0; seq < fleet.settings.logChunks(); seq++) {
                publisher.publish(
                        Topology.JOB_LOG,
                        new JobLogChunk(
                                UUID.randomUUID(),
                                job.jobId(),
                                job.attempt(),
                                seq,
                                "STEP " + (seq + 1) + ": simulated build of " + job.platform() + " by " + id + "\n"),
                        false);
            }
        } catch (RuntimeException e) {
            fleet.counters.errors.incrementAndGet();
        }
        long buildMillis = fleet.buildTime().toMillis();
        fleet.timers.schedule(
                () -> fleet.work.execute(() -> finish(job, startedAt, claimMicros / 1_000, buildMillis)),
                buildMillis,
                TimeUnit.MILLISECONDS);
    }

    private void finish(JobAssignment job, Instant startedAt, long claimMillis, long buildMillis) {
        finished.put(new WorkerHeartbeat.RunningJob(job.jobId(), job.attempt()), Instant.now());
        running.remove(job.jobId());
        try {
            SimulatedImages.Image image = fleet.images.get(job.platform());
            publisher.publish(
                    Topology.JOB_FINISHED,
                    new JobFinished(
                            UUID.randomUUID(),
                            job.jobId(),
                            job.attempt(),
                            id,
                            JobOutcome.SUCCEEDED,
                            image.digest(),
                            image.size(),
                            image.mediaType(),
                            null,
                            0,
                            startedAt,
                            Instant.now(),
                            buildMillis,
                            "simulated",
                            JobPhases.onWorker(claimMillis, 0L, 0L, buildMillis, 0L)),
                    true);
            fleet.counters.finished.incrementAndGet();
        } catch (RuntimeException e) {
            fleet.counters.errors.incrementAndGet();
        } finally {
            freeSlot();
        }
    }

    private void ack(Envelope envelope, boolean ack, boolean requeue) {
        try {
            if (ack) {
                channel.basicAck(envelope.getDeliveryTag(), false);
            } else {
                channel.basicNack(envelope.getDeliveryTag(), false, requeue);
            }
        } catch (IOException | RuntimeException e) {
            fleet.counters.errors.incrementAndGet();
        }
    }

    private final class JobConsumer extends DefaultConsumer {
        private final String queue;

        JobConsumer(String queue) {
            super(channel);
            this.queue = queue;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            take(queue, envelope, body);
        }

        @Override
        public void handleCancel(String tag) {
            // the broker cancelled it (its own queue expired): forget it, as the real worker does
            synchronized (SimulatedWorker.this) {
                consumers.values().remove(tag);
            }
        }
    }
}
