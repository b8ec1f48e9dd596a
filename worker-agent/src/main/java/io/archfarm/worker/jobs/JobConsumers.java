package io.archfarm.worker.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.archfarm.worker.Capabilities;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.stereotype.Component;

/**
 * The broker pushes jobs to the worker: one channel, a consumer on each job queue that exists, while a slot is free.
 * Each consumer is started with a prefetch of the free slots ({@code basic.qos}, per consumer: quorum queues have no
 * channel-wide prefetch), in the order of preference: the worker's own queue (offers), then native, then emulated.
 * A pushed message reserves a slot; when the last free slot is reserved every consumer is cancelled, so that a busy
 * worker holds nothing another worker could take, and a message pushed in that moment beyond the free slots is put
 * back (after the cancel, so that it goes to another worker) without a claim. A freed slot starts the consumers
 * again. While the own queue holds at least as many offers as there are free slots, the shared queues are not
 * consumed: those offers fill the slots first.
 * <p>
 * One thread (the consumers' keeper) does all of the channel's management; consumer callbacks and slots only change
 * the counts and wake it. It also brings the consumers back when the broker closed the channel or the connection
 * (a restart, a network cut), and consumes a job queue once the scheduler declared it.
 */
@Component
class JobConsumers {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumers.class);
    /** How often the keeper looks again for what it could not do yet (a broker down, a queue not declared). */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ConnectionFactory connectionFactory;
    private final SchedulerTopology schedulerTopology;
    private final RabbitAdmin admin;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition handedOver = lock.newCondition();
    private final FreeSlots freeSlots;
    private final Deque<JobDelivery> handoff = new ArrayDeque<>();
    private final List<JobDelivery> excess = new ArrayList<>();
    private final Set<String> cancelledByBroker = new HashSet<>();
    private boolean dirty;
    private boolean running;
    /** Offers on the own queue still to come before the shared queues are consumed. */
    private int offersAwaited;

    private @Nullable Thread keeper;

    // the keeper's own (the channel also read by close(), once the keeper has ended)
    private volatile @Nullable Channel channel;
    private final Map<String, String> consumerTags = new LinkedHashMap<>();
    private int prefetch;
    private boolean brokerDownLogged;

    JobConsumers(
            ConnectionFactory connectionFactory,
            SchedulerTopology schedulerTopology,
            RabbitAdmin admin,
            Capabilities capabilities) {
        this.connectionFactory = connectionFactory;
        this.schedulerTopology = schedulerTopology;
        this.admin = admin;
        this.freeSlots = new FreeSlots(capabilities.slots());
    }

    void start() {
        lock.lock();
        try {
            running = true;
            freeSlots.open();
            dirty = true;
            keeper = Thread.ofPlatform().name("job-consumers").start(this::keep);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more jobs: cancels the consumers and puts back what no slot took yet; returns once done. The channel
     * stays open for the claims under way ({@link #close()}).
     */
    void stop() {
        Thread stopping;
        lock.lock();
        try {
            running = false;
            freeSlots.close();
            changed.signalAll();
            handedOver.signalAll();
            stopping = keeper;
        } finally {
            lock.unlock();
        }
        if (stopping != null) {
            try {
                stopping.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the channel: a message still unacked on it goes back to its queue. */
    void close() {
        Channel closing = channel;
        channel = null;
        if (closing != null && closing.isOpen()) {
            try {
                closing.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("closing the job consumers' channel: {}", e.toString());
            }
        }
    }

    /** Draining: no slot is free from now on, so the consumers are cancelled; reserved slots finish. */
    void drain() {
        change(freeSlots::close);
    }

    void resume() {
        change(() -> {
            if (running) {
                freeSlots.open();
            }
        });
    }

    /** A slot is done with its message (claim refused, no answer, job ended): it is free again. */
    void release() {
        change(freeSlots::release);
    }

    /** Waits for a job message for a slot; null once the worker stops. */
    @Nullable
    JobDelivery next() throws InterruptedException {
        lock.lock();
        try {
            while (running && handoff.isEmpty()) {
                handedOver.await();
            }
            return running ? handoff.poll() : null;
        } finally {
            lock.unlock();
        }
    }

    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
            dirty = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void delivered(JobDelivery delivery) {
        lock.lock();
        try {
            if (delivery.queue().mode() == null && offersAwaited > 0 && --offersAwaited == 0) {
                dirty = true;
            }
            if (freeSlots.reserve()) {
                handoff.add(delivery);
                handedOver.signal();
                if (freeSlots.free() == 0) {
                    dirty = true;
                }
            } else {
                excess.add(delivery);
                dirty = true;
            }
            if (dirty) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelledByTheBroker(JobQueues.JobQueue queue) {
        change(() -> {
            cancelledByBroker.add(queue.name());
            if (queue.mode() == null) {
                // the offers awaited went with the queue
                offersAwaited = 0;
            }
        });
    }

    private void keep() {
        while (true) {
            lock.lock();
            try {
                if (running && !dirty) {
                    changed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
                dirty = false;
                if (!running) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                lock.unlock();
            }
            try {
                reconcile();
            } catch (RuntimeException e) {
                LOG.warn("job consumers: {} (trying again)", e.toString());
            }
        }
        cancelAll();
        putBack();
    }

    /** Makes the consumers what the free slots ask for. */
    private void reconcile() {
        int free;
        List<String> gone;
        lock.lock();
        try {
            free = freeSlots.free();
            gone = List.copyOf(cancelledByBroker);
            cancelledByBroker.clear();
        } finally {
            lock.unlock();
        }
        for (String queue : gone) {
            consumerTags.remove(queue);
        }
        if (free == 0 || free > prefetch) {
            // full: hold nothing; or more slots free than the consumers were started for: start them again
            cancelAll();
        }
        putBack();
        if (free > 0) {
            consume(free);
        }
    }

    private void consume(int free) {
        if (!channelOpen()) {
            return;
        }
        List<JobQueues.JobQueue> queues = schedulerTopology.existingJobQueues();
        for (JobQueues.JobQueue queue : queues) {
            if (consumerTags.containsKey(queue.name())) {
                continue;
            }
            if (queue.mode() != null && offersFirst()) {
                return;
            }
            if (consumerTags.isEmpty()) {
                prefetch = free;
            }
            if (queue.mode() == null) {
                // counted before the consumer starts, so that no offer is pushed before it is awaited
                int offers = readyOffers(queue);
                awaitOffers(offers >= prefetch ? offers : 0);
            }
            try {
                Channel open = Objects.requireNonNull(channel, "opened by channelOpen() on this thread");
                open.basicQos(prefetch);
                String tag = open.basicConsume(queue.name(), false, new JobConsumer(open, queue));
                consumerTags.put(queue.name(), tag);
            } catch (IOException | RuntimeException e) {
                if (JobClaims.queueGone(e)) {
                    // a consume on a queue that is gone closes the channel: the others are consumed on a new one
                    schedulerTopology.lost(queue);
                } else {
                    LOG.warn("cannot consume job queue {}: {}", queue.name(), e.toString());
                }
                awaitOffers(0);
                return;
            }
        }
    }

    private boolean offersFirst() {
        lock.lock();
        try {
            return offersAwaited > 0;
        } finally {
            lock.unlock();
        }
    }

    private void awaitOffers(int offers) {
        lock.lock();
        try {
            offersAwaited = offers;
        } finally {
            lock.unlock();
        }
        if (offers > 0) {
            LOG.debug(
                    "{} offer(s) on this worker's own queue fill its {} free slot(s): the shared queues wait",
                    offers,
                    prefetch);
        }
    }

    /** The offers waiting on the worker's own queue (no one else consumes it, so they will all come here). */
    private int readyOffers(JobQueues.JobQueue own) {
        try {
            QueueInformation information = admin.getQueueInfo(own.name());
            return information == null ? 0 : (int) Math.min(Integer.MAX_VALUE, information.getMessageCount());
        } catch (AmqpException e) {
            return 0;
        }
    }

    private boolean channelOpen() {
        if (channel != null && channel.isOpen()) {
            return true;
        }
        consumerTags.clear();
        prefetch = 0;
        try {
            channel = connectionFactory.createConnection().getDelegate().createChannel();
        } catch (IOException | AmqpException e) {
            channel = null;
        }
        if (channel == null) {
            if (!brokerDownLogged) {
                brokerDownLogged = true;
                LOG.warn("cannot open a channel to take jobs; trying again every {}", RETRY);
            }
            return false;
        }
        if (brokerDownLogged) {
            brokerDownLogged = false;
            LOG.info("taking jobs again: a new channel is open");
        }
        channel.addShutdownListener(this::channelClosed);
        return true;
    }

    private void channelClosed(ShutdownSignalException cause) {
        if (!cause.isInitiatedByApplication()) {
            LOG.warn("the job consumers' channel closed ({}): consuming again on a new one", cause.getMessage());
        }
        change(() -> {});
    }

    private void cancelAll() {
        if (channel != null && channel.isOpen()) {
            for (String tag : consumerTags.values()) {
                try {
                    channel.basicCancel(tag);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cancel of consumer {}: {}", tag, e.toString());
                }
            }
        }
        consumerTags.clear();
        prefetch = 0;
        lock.lock();
        try {
            offersAwaited = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Messages pushed beyond the free slots, and (stopping) those no slot took: back to their queues. */
    private void putBack() {
        List<JobDelivery> back;
        lock.lock();
        try {
            back = new ArrayList<>(excess);
            excess.clear();
            if (!running) {
                back.addAll(handoff);
                handoff.forEach(delivery -> freeSlots.release());
                handoff.clear();
            }
        } finally {
            lock.unlock();
        }
        back.forEach(JobDelivery::requeue);
        if (!back.isEmpty()) {
            LOG.debug("put back {} job message(s) pushed beyond the free slots", back.size());
        }
    }

    private final class JobConsumer extends DefaultConsumer {

        private final JobQueues.JobQueue queue;

        JobConsumer(Channel channel, JobQueues.JobQueue queue) {
            super(channel);
            this.queue = queue;
        }

        @Override
        public void handleDelivery(
                String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            delivered(new JobDelivery(getChannel(), queue, envelope, properties, body));
        }

        /** The broker cancels a consumer whose queue was deleted (a worker's own queue expires). */
        @Override
        public void handleCancel(String consumerTag) {
            LOG.warn("job queue {} is gone (its consumer was cancelled by the broker)", queue.name());
            schedulerTopology.lost(queue);
            cancelledByTheBroker(queue);
        }
    }
}
