package io.archfarm.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a build stands. The allowed changes are in one table; everything else throws. */
public enum BuildStatus {
    QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED, CANCELLED;

    private static final Map<BuildStatus, Set<BuildStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, PARTIAL, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(BuildStatus.class),
            PARTIAL, EnumSet.noneOf(BuildStatus.class),
            FAILED, EnumSet.noneOf(BuildStatus.class),
            CANCELLED, EnumSet.noneOf(BuildStatus.class));

    public boolean canMoveTo(BuildStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Returns {@code next} when the change is allowed, else throws naming both ends. */
    public BuildStatus moveTo(BuildStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
        return next;
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }
}
