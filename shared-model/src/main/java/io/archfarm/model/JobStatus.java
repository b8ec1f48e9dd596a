package io.archfarm.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one platform job of a build stands. RUNNING → QUEUED is a retry: the attempt number goes up and results of
 * the earlier attempt are ignored from then on. FAILED or CANCELLED → QUEUED is the same for a job whose build a
 * person asked to retry; such a job has still ended until then, so {@link #isTerminal()} names the ends explicitly.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            // a retry of the build's failed platforms
            FAILED, EnumSet.of(QUEUED),
            CANCELLED, EnumSet.of(QUEUED));
    private static final Set<JobStatus> ENDED = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);

    public boolean canMoveTo(JobStatus next) {
        return ALLOWED.getOrDefault(this, Set.of()).contains(next);
    }

    /** Returns {@code next} when the change is allowed, else throws naming both ends. */
    public JobStatus moveTo(JobStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
        return next;
    }

    /** Whether the job has ended (a retry of its build may still queue it again). */
    public boolean isTerminal() {
        return ENDED.contains(this);
    }
}
