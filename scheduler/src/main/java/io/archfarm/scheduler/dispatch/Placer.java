package io.archfarm.scheduler.dispatch;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.Placement;
import io.archfarm.scheduler.jobs.PlatformJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The placement rules of ARCHITECTURE.md as a pure function of the job, the fleet, the workers that recently built
 * the job's project and platform, and the clock. A copy of a job in a queue is never taken back: the first claim
 * wins and the other copy is refused when someone claims it.
 * <p>
 * Native first comes before cache affinity: a worker is the job's preferred worker only in the mode the job's first
 * placement would use anyway, so affinity never sends a job to emulation that a native worker could take.
 */
final class Placer {

    private final Duration nativeWait;
    private final Duration unplaceableTimeout;
    private final Duration affinityWait;

    Placer(Duration nativeWait, Duration unplaceableTimeout, Duration affinityWait) {
        this.nativeWait = nativeWait;
        this.unplaceableTimeout = unplaceableTimeout;
        this.affinityWait = affinityWait;
    }

    /**
     * @param recentWorkers the workers that succeeded a job of the same project and platform lately, most recent
     *                      first; only read for a job that was never placed
     */
    PlacementDecision decide(PlatformJob job, Fleet fleet, List<String> recentWorkers, Instant now) {
        boolean hasNative = fleet.buildsNatively(job.platform());
        boolean hasEmulated = fleet.emulates(job.platform());
        boolean capable = job.placement() == Placement.NATIVE_ONLY ? hasNative : hasNative || hasEmulated;
        if (!capable) {
            return unplaceable(job, now);
        }
        if (!job.dispatchedNative() && !job.dispatchedEmulated()) {
            PlacementDecision affinity = affinity(job, fleet, recentWorkers, now);
            if (affinity != null) {
                return affinity;
            }
        }
        return switch (job.placement()) {
            case NATIVE_ONLY -> new PlacementDecision(!job.dispatchedNative(), false, job.nativeDeadline(), null, null);
            case ANY ->
                new PlacementDecision(
                        hasNative && !job.dispatchedNative(),
                        hasEmulated && !job.dispatchedEmulated(),
                        job.nativeDeadline(),
                        null,
                        null);
            case NATIVE_PREFERRED -> nativePreferred(job, hasNative, hasEmulated, now);
        };
    }

    /**
     * For a job not yet on a shared queue: the offer to its preferred worker, waiting while that offer runs, or null
     * to place it on the shared queues (no preferred worker, the wait is over, or the worker left or drains).
     */
    private @Nullable PlacementDecision affinity(
            PlatformJob job, Fleet fleet, List<String> recentWorkers, Instant now) {
        if (job.affinityDeadline() == null) {
            if (affinityWait.isZero()) {
                return null;
            }
            for (String worker : recentWorkers) {
                ExecutionMode mode = preferredMode(job, fleet, worker);
                if (mode != null) {
                    return new PlacementDecision(
                            false,
                            false,
                            job.nativeDeadline(),
                            null,
                            null,
                            new PlacementDecision.Offer(worker, mode, now.plus(affinityWait)));
                }
            }
            return null;
        }
        // the offer's worker and deadline are recorded together
        String offeredTo = job.affinityWorker();
        boolean offerRuns = offeredTo != null
                && now.isBefore(job.affinityDeadline())
                && preferredMode(job, fleet, offeredTo) != null;
        return offerRuns ? new PlacementDecision(false, false, job.nativeDeadline(), null, null) : null;
    }

    /**
     * The mode {@code worker} would run the job in as its preferred worker, or null when it may not be: it is not
     * online, or it cannot take the job in the mode the job's first placement uses (native when any online worker
     * builds the platform natively and the placement prefers native).
     */
    static @Nullable ExecutionMode preferredMode(PlatformJob job, Fleet fleet, String worker) {
        Fleet.Worker online = worker == null ? null : fleet.workers().get(worker);
        if (online == null) {
            return null;
        }
        boolean builds = online.buildsNatively(job.platform());
        boolean emulates = online.emulates(job.platform());
        return switch (job.placement()) {
            case NATIVE_ONLY -> builds ? ExecutionMode.NATIVE : null;
            case NATIVE_PREFERRED ->
                fleet.buildsNatively(job.platform())
                        ? (builds ? ExecutionMode.NATIVE : null)
                        : (emulates ? ExecutionMode.EMULATED : null);
            case ANY -> builds ? ExecutionMode.NATIVE : emulates ? ExecutionMode.EMULATED : null;
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
