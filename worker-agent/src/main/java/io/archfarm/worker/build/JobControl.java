package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The handle on one running attempt: lets another thread (a CancelJob, the shutdown) stop it, killing whatever
 * process the attempt is running at that moment together with all of its descendants.
 */
public final class JobControl {

    /** Why the attempt was stopped from outside, and how it should end. */
    public record Stop(JobOutcome outcome, String reason) {}

    private final UUID jobId;
    private final int attempt;
    private @Nullable Stop stop;
    private @Nullable Process current;

    public JobControl(UUID jobId, int attempt) {
        this.jobId = jobId;
        this.attempt = attempt;
    }

    public UUID jobId() {
        return jobId;
    }

    public int attempt() {
        return attempt;
    }

    /** The first stop wins; later ones (a cancel racing the shutdown) do not change how the attempt ends. */
    public synchronized void stop(JobOutcome outcome, String reason) {
        if (stop == null) {
            stop = new Stop(outcome, reason);
        }
        if (current != null) {
            ProcessTree.kill(current);
        }
    }

    public synchronized Optional<Stop> stopped() {
        return Optional.ofNullable(stop);
    }

    /** Returns false (and kills the process) when the attempt was stopped before the process started. */
    synchronized boolean attach(Process process) {
        current = process;
        if (stop != null) {
            ProcessTree.kill(process);
            return false;
        }
        return true;
    }

    synchronized void detach() {
        current = null;
    }

    synchronized Optional<Process> currentProcess() {
        return Optional.ofNullable(current);
    }
}
