package io.archfarm.worker.jobs;

import io.archfarm.model.messages.WorkerHeartbeat;
import io.archfarm.model.messages.WorkerTools;
import io.archfarm.worker.Capabilities;
import io.archfarm.worker.WorkerIdentity;
import io.archfarm.worker.build.BuildSettings;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Tells the scheduler, at start-up and then every heartbeat interval, that this worker lives and what it runs. */
@Component
class SendHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(SendHeartbeat.class);

    private final WorkerIdentity identity;
    private final Capabilities capabilities;
    private final RunningJobs runningJobs;
    private final WorkerSlots slots;
    private final WorkerPublisher publisher;
    private final SchedulerTopology schedulerTopology;
    private final String storageDriver;
    private final WorkerTools tools;

    SendHeartbeat(
            WorkerIdentity identity,
            Capabilities capabilities,
            RunningJobs runningJobs,
            WorkerSlots slots,
            WorkerPublisher publisher,
            SchedulerTopology schedulerTopology,
            BuildSettings settings,
            WorkerTools tools) {
        this.storageDriver = settings.storageDriver().flag();
        this.tools = tools;
        this.identity = identity;
        this.capabilities = capabilities;
        this.runningJobs = runningJobs;
        this.slots = slots;
        this.publisher = publisher;
        this.schedulerTopology = schedulerTopology;
    }

    @Scheduled(fixedDelayString = "${archfarm.worker.heartbeat-interval:5s}")
    void send() {
        try {
            if (!schedulerTopology.exchangesReady()) {
                return;
            }
            Instant now = Instant.now();
            publisher.heartbeat(new WorkerHeartbeat(
                    UUID.randomUUID(),
                    identity.id(),
                    identity.host(),
                    capabilities.nativeNames(),
                    capabilities.emulatedNames(),
                    capabilities.slots(),
                    runningJobs.list(),
                    slots.draining(),
                    now,
                    storageDriver,
                    runningJobs.recentlyFinished(now),
                    tools));
        } catch (AmqpException e) {
            LOG.warn("heartbeat not sent: {}", e.toString());
        }
    }
}
