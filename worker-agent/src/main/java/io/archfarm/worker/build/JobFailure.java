package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;

/** Why an attempt did not produce an image; the message goes into the job log and into JobFinished.error. */
final class JobFailure extends Exception {

    private final JobOutcome outcome;
    private final Integer exitCode;

    JobFailure(JobOutcome outcome, String message) {
        this(outcome, message, null);
    }

    JobFailure(JobOutcome outcome, String message, Integer exitCode) {
        super(message);
        this.outcome = outcome;
        this.exitCode = exitCode;
    }

    JobOutcome outcome() {
        return outcome;
    }

    Integer exitCode() {
        return exitCode;
    }
}
