package io.archfarm.scheduler.dispatch;

import java.time.Instant;

/**
 * What the dispatcher does with one QUEUED job in this tick.
 *
 * @param sendNative       publish a JobAssignment to the platform's native queue now
 * @param sendEmulated     publish one to its emulated queue now
 * @param nativeDeadline   when emulation may take the job (native-preferred), as it should be stored
 * @param unplaceableSince since when no online worker can take the job, or null
 * @param failure          the reason the job fails now, or null
 */
record PlacementDecision(boolean sendNative, boolean sendEmulated, Instant nativeDeadline, Instant unplaceableSince,
        String failure) {

    boolean sendsAnything() {
        return sendNative || sendEmulated;
    }
}
