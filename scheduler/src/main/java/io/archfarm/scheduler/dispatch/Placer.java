package io.archfarm.scheduler.dispatch;

import io.archfarm.model.Placement;
import io.archfarm.scheduler.jobs.PlatformJob;
import java.time.Duration;
import java.time.Instant;

/**
 * The placement rules of ARCHITECTURE.md as a pure function of the job, the fleet and the clock. A copy of a job in
 * a queue is never taken back: the first claim wins and the other copy is refused when someone claims it.
 */
final class Placer {

    private final Duration nativeWait;
    private final Duration unplaceableTimeout;

    Placer(Duration nativeWait, Duration unplaceableTimeout) {
        this.nativeWait = nativeWait;
        this.unplaceableTimeout = unplaceableTimeout;
    }

    PlacementDecision decide(PlatformJob job, Fleet fleet, Instant now) {
        boolean hasNative = fleet.buildsNatively(job.platform());
        boolean hasEmulated = fleet.emulates(job.platform());
        boolean capable = job.placement() == Placement.NATIVE_ONLY ? hasNative : hasNative || hasEmulated;
        if (!capable) {
            return unplaceable(job, now);
        }
        return switch (job.placement()) {
            case NATIVE_ONLY -> new PlacementDecision(!job.dispatchedNative(), false, job.nativeDeadline(), null,
                    null);
            case ANY -> new PlacementDecision(hasNative && !job.dispatchedNative(),
                    hasEmulated && !job.dispatchedEmulated(), job.nativeDeadline(), null, null);
            case NATIVE_PREFERRED -> nativePreferred(job, hasNative, hasEmulated, now);
        };
    }

    private PlacementDecision nativePreferred(PlatformJob job, boolean hasNative, boolean hasEmulated, Instant now) {
        if (!job.dispatchedNative() && !job.dispatchedEmulated()) {
            return hasNative
                    ? new PlacementDecision(true, false, now.plus(nativeWait), null, null)
                    : new PlacementDecision(false, true, null, null, null);
        }
        boolean nativeWaitOver = job.nativeDeadline() == null || !now.isBefore(job.nativeDeadline());
        boolean fallBack = !job.dispatchedEmulated() && hasEmulated && (nativeWaitOver || !hasNative);
        return new PlacementDecision(false, fallBack, job.nativeDeadline(), null, null);
    }

    private PlacementDecision unplaceable(PlatformJob job, Instant now) {
        Instant since = job.unplaceableSince() == null ? now : job.unplaceableSince();
        String failure = Duration.between(since, now).compareTo(unplaceableTimeout) >= 0 ? reason(job) : null;
        return new PlacementDecision(false, false, job.nativeDeadline(), since, failure);
    }

    static String reason(PlatformJob job) {
        String how = job.placement() == Placement.NATIVE_ONLY ? "natively" : "natively or under emulation";
        return "no online worker can build " + job.platform() + " " + how + " (placement "
                + job.placement().wireName() + ")";
    }
}
