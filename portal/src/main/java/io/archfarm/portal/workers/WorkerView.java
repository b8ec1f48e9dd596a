package io.archfarm.portal.workers;

import java.time.Instant;
import java.util.List;

/**
 * A worker of the fleet as the scheduler last saw it through its heartbeats.
 *
 * @param status   ONLINE, DRAINING (it finishes what it runs and takes no new job) or OFFLINE
 * @param draining whether its last heartbeat said it was draining (kept while it is OFFLINE)
 */
public record WorkerView(String id, String host, List<String> nativePlatforms, List<String> emulatedPlatforms,
        int slots, int busy, Instant lastSeen, String status, boolean draining) {
}
