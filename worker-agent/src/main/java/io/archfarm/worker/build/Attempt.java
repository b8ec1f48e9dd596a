package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One attempt in progress: runs its commands under the attempt's deadline and stop handle, writing their output
 * into its log. A stop or the job timeout surfaces as a {@link JobFailure}, so steps only handle their own errors.
 */
final class Attempt {

    private final JobControl control;
    private final JobLog log;
    private final ProcessRunner runner;
    private final Instant deadline;
    private final long timeoutSeconds;

    Attempt(JobControl control, JobLog log, ProcessRunner runner, long timeoutSeconds) {
        this.control = control;
        this.log = log;
        this.runner = runner;
        this.timeoutSeconds = timeoutSeconds;
        this.deadline = Instant.now().plusSeconds(timeoutSeconds);
    }

    JobLog log() {
        return log;
    }

    /** Runs a command with at most {@code limit} of its own; {@code timedOut()} then means that limit was hit. */
    ProcessResult run(List<String> command, Path directory, Map<String, String> environment, Duration limit)
            throws JobFailure {
        return run(command, directory, environment, limit, log::line);
    }

    /** As {@link #run(List, Path, Map, Duration)}, with the output going to {@code output} instead of the log. */
    ProcessResult run(
            List<String> command,
            Path directory,
            Map<String, String> environment,
            Duration limit,
            Consumer<String> output)
            throws JobFailure {
        checkNotStopped();
        Duration remaining = Duration.between(Instant.now(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            throw timedOut();
        }
        boolean jobLimitFirst = remaining.compareTo(limit) <= 0;
        ProcessResult result;
        try {
            result = runner.run(command, directory, environment, jobLimitFirst ? remaining : limit, control, output);
        } catch (IOException e) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED, "cannot run " + command.getFirst() + " on this worker: " + e.getMessage());
        }
        checkNotStopped();
        if (result.timedOut() && jobLimitFirst) {
            throw timedOut();
        }
        return result;
    }

    ProcessResult run(List<String> command, Path directory, Map<String, String> environment) throws JobFailure {
        return run(command, directory, environment, Duration.ofSeconds(timeoutSeconds));
    }

    /** Under the job's own limit, with the output going to {@code output} instead of the log. */
    ProcessResult run(List<String> command, Path directory, Map<String, String> environment, Consumer<String> output)
            throws JobFailure {
        return run(command, directory, environment, Duration.ofSeconds(timeoutSeconds), output);
    }

    void checkNotStopped() throws JobFailure {
        var stop = control.stopped();
        if (stop.isPresent()) {
            throw new JobFailure(stop.get().outcome(), stop.get().reason());
        }
    }

    private JobFailure timedOut() {
        return new JobFailure(JobOutcome.FAILED, "timed out after " + timeoutSeconds + " s");
    }
}
