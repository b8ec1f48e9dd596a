package io.archfarm.scheduler.dispatch;

import io.archfarm.model.ExecutionMode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the dispatcher does with one QUEUED job in this tick.
 *
 * @param sendNative       publish a JobAssignment to the platform's native queue now
 * @param sendEmulated     publish one to its emulated queue now
 * @param nativeDeadline   when emulation may take the job (native-preferred), as it should be stored
 * @param unplaceableSince since when no online worker can take the job, or null
 * @param failure          the reason the job fails now, or null
 * @param offer            publish one to the preferred worker's own queue now (cache affinity), or null
 */
record PlacementDecision(
        boolean sendNative,
        boolean sendEmulated,
        @Nullable Instant nativeDeadline,
        @Nullable Instant unplaceableSince,
        @Nullable String failure,
        @Nullable Offer offer) {

    /**
     * The job offered to one worker only, which claims it in {@code mode}, until {@code deadline}.
     */
    record Offer(String worker, ExecutionMode mode, Instant deadline) {}

    PlacementDecision(
            boolean sendNative,
            boolean sendEmulated,
            @Nullable Instant nativeDeadline,
            @Nullable Instant unplaceableSince,
            @Nullable String failure) {
        this(sendNative, sendEmulated, nativeDeadline, unplaceableSince, failure, null);
    }

    boolean sendsAnything() {
        return sendNative || sendEmulated || offer != null;
    }
}
