package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Puts exactly one commit of a repository into a fresh directory with the system git: no prompts, a check that HEAD
 * is the commit that was asked for, and its submodules only when the build asks for them (see {@link Submodules}).
 * Every URL passes the scheme rule ({@link GitUrlPolicy}) and the farm's host rule ({@link GitHosts}) before git
 * connects to it.
 */
final class SourceFetcher {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final GitUrlPolicy policy;
    private final GitHosts hosts;
    private final Git git;
    private final Submodules submodules;

    SourceFetcher(GitUrlPolicy policy, GitUrlPolicy submodulePolicy, GitHosts hosts, Duration gitTimeout) {
        this.policy = policy;
        this.hosts = hosts;
        this.git = new Git(policy, gitTimeout);
        this.submodules = new Submodules(submodulePolicy, hosts, new Git(submodulePolicy, gitTimeout));
    }

    static void checkCommit(String commit) throws JobFailure {
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw new JobFailure(JobOutcome.FAILED, "commit '" + commit + "' is not a full lower-case commit id");
        }
    }

    void fetch(Attempt attempt, String repository, String ref, String commit, boolean withSubmodules, Path checkout)
            throws JobFailure {
        policy.check(repository);
        // the portal checked the host when it took the build; a name may point elsewhere by now (DNS rebinding)
        List<String> pins = hosts.check(repository);
        checkCommit(commit);
        createDirectory(checkout);
        attempt.log().line("fetching " + repository + " at " + commit + (ref == null ? "" : " (" + ref + ")"));
        git(attempt, checkout, "init", "-q", ".");
        ProcessResult byId = git.run(attempt, checkout, pins, "fetch", "-q", "--depth", "1", "--no-tags", "--",
                repository, commit);
        if (!byId.succeeded()) {
            fetchRef(attempt, checkout, new Remote(repository, pins), ref, commit, byId);
        }
        require(git.run(attempt, checkout, List.of("advice.detachedHead=false"), "checkout", "-q", "--detach", commit),
                "git checkout of " + commit + " failed");
        ProcessResult head = git(attempt, checkout, "rev-parse", "HEAD");
        if (!head.succeeded() || !head.lastLine().trim().equals(commit)) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "checked out " + head.lastLine() + " instead of " + commit);
        }
        if (withSubmodules) {
            submodules.fetch(attempt, repository, checkout);
        } else {
            submodules.reportNotFetched(attempt, checkout);
        }
    }

    /** Servers that refuse fetching an unadvertised commit id still serve the ref; the commit must be in it. */
    /** The repository's URL and the pins of its checked addresses. */
    private record Remote(String url, List<String> pins) {
    }

    private void fetchRef(Attempt attempt, Path checkout, Remote remote, String ref, String commit,
            ProcessResult byId) throws JobFailure {
        String repository = remote.url();
        if (ref == null || ref.isBlank() || ref.startsWith("-")) {
            throw fetchFailed(repository, commit, byId);
        }
        attempt.log().line("fetching by commit id was refused; fetching " + ref + " instead");
        ProcessResult byRef = git.run(attempt, checkout, remote.pins(), "fetch", "-q", "--no-tags", "--", repository,
                ref);
        if (!byRef.succeeded()) {
            throw fetchFailed(repository, commit, byRef);
        }
        if (!git(attempt, checkout, "cat-file", "-e", commit + "^{commit}").succeeded()) {
            throw new JobFailure(JobOutcome.FAILED, "commit " + commit + " is not in " + ref + " of " + repository);
        }
    }

    private ProcessResult git(Attempt attempt, Path checkout, String... arguments) throws JobFailure {
        return git.run(attempt, checkout, arguments);
    }

    private static void require(ProcessResult result, String what) throws JobFailure {
        if (!result.succeeded()) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, what + ": " + result.lastLine());
        }
    }

    private static JobFailure fetchFailed(String repository, String commit, ProcessResult result) {
        return new JobFailure(JobOutcome.INFRA_FAILED,
                "fetching " + commit + " from " + repository + " failed: " + result.lastLine());
    }

    private static void createDirectory(Path checkout) throws JobFailure {
        try {
            Files.createDirectories(checkout);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot create checkout directory " + checkout + ": " + e);
        }
    }
}
