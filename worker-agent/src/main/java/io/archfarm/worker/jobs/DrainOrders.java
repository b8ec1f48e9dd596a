package io.archfarm.worker.jobs;

import io.archfarm.model.messages.DrainWorker;
import io.archfarm.worker.WorkerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An admin's order to drain this worker (finish what it runs, take no new job) or to resume it. Orders for other
 * workers are ignored. A heartbeat goes out at once, so that the fleet shows the change within moments rather than
 * at the next heartbeat. The state lives in this process only: a restarted worker takes jobs again.
 */
@Component
class DrainOrders {

    private static final Logger LOG = LoggerFactory.getLogger(DrainOrders.class);

    private final WorkerIdentity identity;
    private final WorkerSlots slots;
    private final SendHeartbeat heartbeat;

    DrainOrders(WorkerIdentity identity, WorkerSlots slots, SendHeartbeat heartbeat) {
        this.identity = identity;
        this.slots = slots;
        this.heartbeat = heartbeat;
    }

    void obey(DrainWorker order) {
        if (!identity.id().equals(order.workerId())) {
            return;
        }
        String who =
                order.requestedBy() == null || order.requestedBy().isBlank() ? "an unnamed admin" : order.requestedBy();
        if (order.draining()) {
            slots.drain();
            LOG.info("draining on the order of {}: running jobs finish, no new job is taken", who);
        } else {
            slots.resume();
            LOG.info("resumed on the order of {}: taking jobs again", who);
        }
        heartbeat.send();
    }
}
