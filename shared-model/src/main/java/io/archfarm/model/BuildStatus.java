package io.archfarm.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a build stands. The allowed changes are in one table; everything else throws. A build that ended FAILED,
 * PARTIAL or CANCELLED may be re-opened (back to RUNNING) when someone asks to retry its failed platforms; it has
 * still ended until then, so {@link #isTerminal()} names the ends explicitly instead of reading the table.
 */
public enum BuildStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    PARTIAL,
    FAILED,
    CANCELLED;

    private static final Map<BuildStatus, Set<BuildStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, PARTIAL, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(BuildStatus.class),
            // a retry of the failed platforms re-opens the build
            PARTIAL, EnumSet.of(RUNNING),
            FAILED, EnumSet.of(RUNNING),
            CANCELLED, EnumSet.of(RUNNING));
    private static final Set<BuildStatus> ENDED = EnumSet.of(SUCCEEDED, PARTIAL, FAILED, CANCELLED);

    public boolean canMoveTo(BuildStatus next) {
        return ALLOWED.getOrDefault(this, Set.of()).contains(next);
    }

    /** Returns {@code next} when the change is allowed, else throws naming both ends. */
    public BuildStatus moveTo(BuildStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
        return next;
    }

    /** Whether the build has ended (a retry may still re-open it: see {@link #isRetryable()}). */
    public boolean isTerminal() {
        return ENDED.contains(this);
    }

    /** Whether the build ended with platforms that did not succeed, which a retry may build again. */
    public boolean isRetryable() {
        return isTerminal() && canMoveTo(RUNNING);
    }
}
