package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Why an attempt did not produce an image; the message goes into the job log and into JobFinished.error. */
final class JobFailure extends Exception {

    private final JobOutcome outcome;
    private final @Nullable Integer exitCode;
    private final boolean imageStoreBroken;
    private final @Nullable PartError partError;

    JobFailure(JobOutcome outcome, String message) {
        this(outcome, message, null);
    }

    JobFailure(JobOutcome outcome, String message, @Nullable Integer exitCode) {
        this(outcome, message, exitCode, false);
    }

    private JobFailure(JobOutcome outcome, String message, @Nullable Integer exitCode, boolean imageStoreBroken) {
        this(outcome, message, exitCode, imageStoreBroken, null);
    }

    private JobFailure(
            JobOutcome outcome,
            String message,
            @Nullable Integer exitCode,
            boolean imageStoreBroken,
            @Nullable PartError partError) {
        super(message);
        this.outcome = outcome;
        this.exitCode = exitCode;
        this.imageStoreBroken = imageStoreBroken;
        this.partError = partError;
    }

    /** Never null: every constructor takes the message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }

    /** This failure, as one on the way to a registry or a git server (which the metrics count). */
    JobFailure because(PartError error) {
        return new JobFailure(outcome, getMessage(), exitCode, imageStoreBroken, error);
    }

    /** The job's image store itself failed: an INFRA_FAILED after which the store is not to be trusted again. */
    static JobFailure ofImageStore(String message, int exitCode) {
        return new JobFailure(JobOutcome.INFRA_FAILED, message, exitCode, true);
    }

    JobOutcome outcome() {
        return outcome;
    }

    @Nullable
    Integer exitCode() {
        return exitCode;
    }

    boolean imageStoreBroken() {
        return imageStoreBroken;
    }

    Optional<PartError> partError() {
        return Optional.ofNullable(partError);
    }
}
