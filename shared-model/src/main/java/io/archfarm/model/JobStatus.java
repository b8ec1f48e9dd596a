package io.archfarm.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one platform job of a build stands. RUNNING → QUEUED is a retry: the attempt number goes up and results of
 * the earlier attempt are ignored from then on.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    public boolean canMoveTo(JobStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Returns {@code next} when the change is allowed, else throws naming both ends. */
    public JobStatus moveTo(JobStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
        return next;
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }
}
