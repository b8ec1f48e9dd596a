package io.archfarm.portal.workers;

import java.time.Instant;
import java.util.List;

/** A worker of the fleet as the scheduler last saw it through its heartbeats. */
record WorkerView(String id, String host, List<String> nativePlatforms, List<String> emulatedPlatforms, int slots,
        int busy, Instant lastSeen, String status) {
}
