package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The submodules of a checked-out commit. They are fetched only when the build asks (the project's setting), then
 * recursively and shallow. Their URLs come from the repository and are as untrusted as its own URL: each declared
 * one passes the submodule {@link GitUrlPolicy}, and git may use only that policy's transports, which also binds
 * the nested submodules that only git sees. When the build does not ask, they are left alone, and the log says so,
 * so that an empty directory in the build context is not a mystery.
 */
final class Submodules {

    /** A line of {@code git submodule status}: state, commit, path, and git's description in parentheses. */
    private static final Pattern STATUS = Pattern.compile("^([ +U-])([0-9a-f]+) (.+?)(?: \\(.*\\))?$");
    private static final String FATAL = "fatal: ";

    private final GitUrlPolicy policy;
    private final Git git;

    Submodules(GitUrlPolicy policy, Git git) {
        this.policy = policy;
        this.git = git;
    }

    void fetch(Attempt attempt, String repository, Path checkout) throws JobFailure {
        List<DeclaredSubmodule> declared = DeclaredSubmodule.readFrom(git, attempt, checkout);
        if (declared.isEmpty()) {
            attempt.log().line("the build asks for submodules; this commit declares none");
            return;
        }
        for (DeclaredSubmodule submodule : declared) {
            check(submodule);
        }
        attempt.log().line("fetching submodules " + paths(declared) + " (recursively, depth 1)");
        // a relative submodule URL is resolved against the remote "origin", which a fetch by URL does not set
        require(git.run(attempt, checkout, "config", "remote.origin.url", repository),
                "cannot record the repository URL for relative submodule URLs");
        ProcessResult update = git.run(attempt, checkout, "submodule", "update", "--init", "--recursive",
                "--depth", "1");
        if (!update.succeeded()) {
            throw updateFailed(update);
        }
        logFetched(attempt, checkout);
    }

    /** Says which submodules an empty directory stands for; an unreadable {@code .gitmodules} fails nothing here. */
    void reportNotFetched(Attempt attempt, Path checkout) throws JobFailure {
        if (!DeclaredSubmodule.declaredIn(checkout)) {
            return;
        }
        String which;
        try {
            List<DeclaredSubmodule> declared = DeclaredSubmodule.readFrom(git, attempt, checkout);
            which = declared.isEmpty() ? "" : " (" + paths(declared) + ")";
        } catch (JobFailure unreadable) {
            which = "";
        }
        attempt.log().line("the repository has submodules" + which + " that were not fetched: the project does not"
                + " ask for submodules, so their directories are empty");
    }

    private void check(DeclaredSubmodule submodule) throws JobFailure {
        if (submodule.relativeUrl()) {
            return;
        }
        try {
            policy.check(submodule.url());
        } catch (JobFailure refused) {
            throw new JobFailure(refused.outcome(), "submodule " + submodule.path() + ": " + refused.getMessage());
        }
    }

    private void logFetched(Attempt attempt, Path checkout) throws JobFailure {
        List<String> status = new ArrayList<>();
        require(git.read(attempt, checkout, status::add, "submodule", "status", "--recursive"),
                "git submodule status failed");
        for (String line : status) {
            Matcher entry = STATUS.matcher(line);
            if (!entry.matches()) {
                continue;
            }
            attempt.log().line(entry.group(1).equals("-")
                    ? "submodule " + entry.group(3) + " was not fetched (its update mode in .gitmodules is none)"
                    : "fetched submodule " + entry.group(3) + " at " + entry.group(2));
        }
    }

    /** Git retries a failed clone once, so its reasons come twice; each is said once, the file case with the cure. */
    private JobFailure updateFailed(ProcessResult update) {
        List<String> reasons = update.lastLines().stream().filter(line -> line.startsWith(FATAL))
                .map(line -> line.substring(FATAL.length())).distinct().toList();
        String reason = reasons.isEmpty() ? update.lastLine() : String.join("; ", reasons);
        if (reasons.stream().anyMatch(line -> line.startsWith("transport '") && line.endsWith("' not allowed"))) {
            return new JobFailure(JobOutcome.FAILED, "fetching submodules failed: " + reason + " (this worker fetches"
                    + " submodules only over " + policy.allowedProtocols().replace(':', ',')
                    + "; file:// needs archfarm.git.allow-file-submodules=true)");
        }
        return new JobFailure(JobOutcome.INFRA_FAILED, "fetching submodules failed: " + reason);
    }

    private static void require(ProcessResult result, String what) throws JobFailure {
        if (!result.succeeded()) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, what + ": " + result.lastLine());
        }
    }

    private static String paths(List<DeclaredSubmodule> declared) {
        return declared.stream().map(DeclaredSubmodule::path).collect(Collectors.joining(", "));
    }
}
