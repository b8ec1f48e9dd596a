package io.archfarm.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.Message;
import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * N simulated workers that speak the real worker protocol over the real broker, as a tool to load the control plane
 * (portal, scheduler, PostgreSQL, RabbitMQ, registry) without buildah: each sends {@link WorkerHeartbeat}s naming
 * what it runs, consumes its own job queue and its platform's native queue with a prefetch of its free slots (and
 * no consumer while it has none, as {@code io.archfarm.worker.jobs} does), claims every pushed job with a
 * {@link ClaimRequest} over direct reply-to and acks it once answered, sends a log chunk, and after the simulated
 * build time a {@code JobFinished} whose digest is a real image pushed once ({@link SimulatedImages}).
 * <p>
 * What is not the real worker: workers share connections ({@code workersPerConnection} channels on one), and their
 * publishes go through one channel per connection with confirms counted, not awaited one by one.
 */
final class SimulatedFleet implements AutoCloseable {

    /** What a fleet is made of; platforms are handed out round robin, one native platform per worker. */
    record Settings(
            int workers,
            int slots,
            List<String> platforms,
            Duration buildTime,
            Duration heartbeatInterval,
            int workersPerConnection,
            int logChunks) {}

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

    final Settings settings;
    final Topology topology;
    final Map<String, SimulatedImages.Image> images;
    final Counters counters = new Counters();
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(
            4, Thread.ofPlatform().name("sim-timer-", 0).daemon().factory());
    /** Claims' answers and results are handled here, off the broker's consumer threads (they call the broker). */
    final ExecutorService work = Executors.newFixedThreadPool(
            8, Thread.ofPlatform().name("sim-work-", 0).daemon().factory());

    private final ExecutorService deliveries = Executors.newFixedThreadPool(
            4, Thread.ofPlatform().name("sim-consumer-", 0).daemon().factory());
    private final List<Connection> connections = new ArrayList<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final Map<UUID, CompletableFuture<ClaimReply>> claims = new ConcurrentHashMap<>();
    /** The simulated build time of jobs claimed from now on (the benchmark runs several on one fleet). */
    private volatile Duration buildTime;

    /** What the fleet did, for the figures and the checks. */
    static final class Counters {
        final AtomicLong heartbeats = new AtomicLong();
        final AtomicLong pushed = new AtomicLong();
        final AtomicLong putBack = new AtomicLong();
        final AtomicLong granted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong unanswered = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicLong nacked = new AtomicLong();
        final AtomicLong returned = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Claim round trips in microseconds: request published to reply read. */
        final List<Long> claimMicros = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String toString() {
            return "heartbeats " + heartbeats + ", jobs pushed " + pushed + " (put back " + putBack
                    + "), claims granted "
                    + granted + ", refused " + refused + ", unanswered " + unanswered + ", results sent " + finished
                    + ", publishes nacked " + nacked + ", returned " + returned + ", errors " + errors;
        }
    }

    private SimulatedFleet(Settings settings, String prefix, Map<String, SimulatedImages.Image> images) {
        this.settings = settings;
        this.topology = new Topology(prefix);
        this.images = images;
        this.buildTime = settings.buildTime();
    }

    Duration buildTime() {
        return buildTime;
    }

    void buildTime(Duration buildTime) {
        this.buildTime = buildTime;
    }

    /**
     * Connects the workers to the local broker, sends their first heartbeats (so the scheduler declares their
     * queues), waits until their queues exist, then starts consuming and heart-beating.
     */
    static SimulatedFleet start(Settings settings, String prefix, Map<String, SimulatedImages.Image> images) {
        SimulatedFleet fleet = new SimulatedFleet(settings, prefix, images);
        try {
            fleet.connect();
            fleet.workers.forEach(fleet::heartbeat);
            fleet.awaitQueues();
            fleet.workers.forEach(SimulatedWorker::resume);
            long period = settings.heartbeatInterval().toMillis();
            for (int i = 0; i < fleet.workers.size(); i++) {
                SimulatedWorker worker = fleet.workers.get(i);
                fleet.timers.scheduleAtFixedRate(
                        () -> fleet.heartbeat(worker),
                        period * i / fleet.workers.size(),
                        period,
                        TimeUnit.MILLISECONDS);
            }
            return fleet;
        } catch (IOException | TimeoutException e) {
            fleet.close();
            throw new IllegalStateException("the simulated fleet could not start", e);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void connect() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.localAmqpHost());
        factory.setPort(TestServices.localAmqpPort());
        factory.setUsername(TestServices.localAmqpUser());
        factory.setPassword(TestServices.localAmqpPassword());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setRequestedChannelMax(settings.workersPerConnection() + 8);
        Connection connection = null;
        Publisher publisher = null;
        for (int i = 0; i < settings.workers(); i++) {
            if (i % settings.workersPerConnection() == 0) {
                connection = factory.newConnection(deliveries, "simulated-fleet-" + connections.size());
                connections.add(connection);
                publisher = new Publisher(connection.createChannel());
                publishers.add(publisher);
            }
            String platform = settings.platforms().get(i % settings.platforms().size());
            workers.add(new SimulatedWorker(
                    this, String.format("sim-%04d", i + 1), platform, connection.createChannel(), publisher));
        }
    }

    /** Every worker's own queue and every native queue of its platform, declared by the scheduler on a heartbeat. */
    private void awaitQueues() throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (SimulatedWorker worker : workers) {
            while (!worker.findQueues()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the scheduler declared no job queues for " + worker.id
                            + " within 2 minutes of its heartbeat");
                }
                sleep(Duration.ofMillis(200));
                heartbeat(worker);
            }
        }
    }

    /** Whether the queue exists: a passive declare on a channel of its own, which the broker closes when it does not. */
    boolean queueExists(Connection connection, String queue) throws IOException {
        Channel probe = connection.createChannel();
        try {
            probe.queueDeclarePassive(queue);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (TimeoutException | IOException ignored) {
                    // closed anyway
                }
            }
        }
    }

    private void heartbeat(SimulatedWorker worker) {
        try {
            Instant now = Instant.now();
            worker.publisher.publish(
                    Topology.WORKER_HEARTBEAT,
                    new WorkerHeartbeat(
                            UUID.randomUUID(),
                            worker.id,
                            "simulated",
                            List.of(worker.platform),
                            List.of(),
                            settings.slots(),
                            worker.running(),
                            false,
                            now,
                            "overlay",
                            worker.recentlyFinished(now)),
                    false);
            counters.heartbeats.incrementAndGet();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
        }
    }

    /** Sends the claim; the reply comes on the publisher's direct reply-to consumer. */
    CompletableFuture<ClaimReply> claim(Publisher publisher, ClaimRequest request) {
        CompletableFuture<ClaimReply> reply = new CompletableFuture<>();
        claims.put(request.messageId(), reply);
        reply.whenComplete((answer, failure) -> claims.remove(request.messageId()));
        publisher.claim(request);
        return reply.orTimeout(CLAIM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<SimulatedWorker> workers() {
        return workers;
    }

    /** Jobs running on the fleet now. */
    int running() {
        return workers.stream().mapToInt(w -> w.running().size()).sum();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        for (SimulatedWorker worker : workers) {
            worker.stop();
        }
        for (Connection connection : connections) {
            try {
                connection.close(5_000);
            } catch (IOException | RuntimeException e) {
                // the broker drops it with the connection's socket
            }
        }
        deliveries.shutdownNow();
        work.shutdownNow();
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * One channel per connection for what its workers send: in confirm mode (nacks counted), results mandatory
     * (returns counted), and consuming direct reply-to for the claims' answers.
     */
    final class Publisher {
        private final Channel channel;

        Publisher(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) -> {}, (tag, multiple) -> counters.nacked.incrementAndGet());
            channel.addReturnListener(returned -> counters.returned.incrementAndGet());
            channel.basicConsume("amq.rabbitmq.reply-to", true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    ClaimReply reply = JSON.readValue(body, ClaimReply.class);
                    CompletableFuture<ClaimReply> waiting = claims.get(reply.requestId());
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                }
            });
        }

        void claim(ClaimRequest request) {
            send(Topology.JOB_CLAIM, request, false, "amq.rabbitmq.reply-to");
        }

        void publish(String routingKey, Message message, boolean mandatory) {
            send(routingKey, message, mandatory, null);
        }

        private void send(String routingKey, Message message, boolean mandatory, String replyTo) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .contentEncoding("UTF-8")
                    .messageId(message.messageId().toString())
                    .replyTo(replyTo)
                    .correlationId(replyTo == null ? null : message.messageId().toString())
                    .deliveryMode(2)
                    .headers(Map.of("__TypeId__", message.getClass().getName()))
                    .build();
            byte[] body = JSON.writeValueAsBytes(message);
            synchronized (this) {
                try {
                    channel.basicPublish(topology.workerEventsExchange(), routingKey, mandatory, properties, body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
