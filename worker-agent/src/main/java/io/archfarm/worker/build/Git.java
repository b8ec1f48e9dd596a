package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The system git as an attempt runs it: it never prompts (a build host has no one to answer), it may use only the
 * transports its {@link GitUrlPolicy} allows, and each command has its own time limit under the job's, so that a
 * git server that stops answering is an infrastructure failure and not a build that hangs until the job timeout.
 */
final class Git {

    /**
     * Recursing into submodules is decided by the worker alone, never by the host's own git configuration; and an
     * HTTP redirect must not take git to a host the portal never checked.
     */
    private static final List<String> NO_IMPLICIT_RECURSION =
            List.of("-c", "submodule.recurse=false", "-c", "http.followRedirects=false");

    private final GitUrlPolicy policy;
    private final Duration timeout;

    Git(GitUrlPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
    }

    /** Runs {@code git <arguments>} in {@code directory}; its output goes into the job log. */
    ProcessResult run(Attempt attempt, Path directory, String... arguments) throws JobFailure {
        return execute(attempt, directory, attempt.log()::line, List.of(), arguments);
    }

    /**
     * As {@link #run(Attempt, Path, String...)}, with {@code config} ({@code key=value}) for this command and every
     * git it starts (a submodule's clone too): the pins of {@link GitHosts}.
     */
    ProcessResult run(Attempt attempt, Path directory, List<String> config, String... arguments) throws JobFailure {
        return execute(attempt, directory, attempt.log()::line, config, arguments);
    }

    /** Runs git for what the worker reads from it: its output goes to {@code output}, not into the job log. */
    ProcessResult read(Attempt attempt, Path directory, Consumer<String> output, String... arguments)
            throws JobFailure {
        return execute(attempt, directory, output, List.of(), arguments);
    }

    private ProcessResult execute(
            Attempt attempt, Path directory, Consumer<String> output, List<String> config, String... arguments)
            throws JobFailure {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(NO_IMPLICIT_RECURSION);
        command.addAll(policy.gitOptions());
        for (String setting : config) {
            command.addAll(List.of("-c", setting));
        }
        command.addAll(List.of(arguments));
        ProcessResult result = attempt.run(
                command,
                directory,
                Map.of(
                        "GIT_TERMINAL_PROMPT", "0",
                        "GIT_SSH_COMMAND", "ssh -o BatchMode=yes",
                        "GIT_ALLOW_PROTOCOL", policy.allowedProtocols()),
                timeout,
                output);
        if (result.timedOut()) {
            throw timedOut(arguments);
        }
        return result;
    }

    /** A git command that talked to a server and ran out of time names the server: it failed for now. */
    private JobFailure timedOut(String... arguments) {
        String words = "timed out after " + timeout.toSeconds() + " s";
        int dashes = List.of(arguments).indexOf("--");
        String url = dashes >= 0 && dashes + 1 < arguments.length ? arguments[dashes + 1] : null;
        return new JobFailure(
                JobOutcome.INFRA_FAILED,
                Optional.ofNullable(url)
                        .flatMap(GitHosts::serverOf)
                        .map(server -> PartOutage.reason(
                                PartOutage.GIT_SERVER, server, "the git " + arguments[0] + " of " + url, words))
                        .orElse("git " + arguments[0] + " " + words));
    }
}
