package io.archfarm.portal.workers;

import io.archfarm.model.messages.WorkerTools;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A worker of the fleet as the scheduler last saw it through its heartbeats.
 *
 * @param status   ONLINE, DRAINING (it finishes what it runs and takes no new job) or OFFLINE
 * @param draining      whether its last heartbeat said it was draining (kept while it is OFFLINE)
 * @param storageDriver the driver of its buildah image stores, {@code overlay} or {@code vfs}; null when its
 *                      heartbeats do not say (a worker from before the field, which uses vfs)
 * @param tools         what it builds with, detected at its start (kernel, storage driver, buildah, skopeo, qemu per
 *                      emulated platform); null for a worker whose heartbeats do not say
 */
public record WorkerView(
        String id,
        String host,
        List<String> nativePlatforms,
        List<String> emulatedPlatforms,
        int slots,
        int busy,
        Instant lastSeen,
        String status,
        boolean draining,
        @Nullable String storageDriver,
        @Nullable WorkerTools tools) {}
