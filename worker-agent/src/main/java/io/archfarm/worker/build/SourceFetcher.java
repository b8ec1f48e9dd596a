package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.util.FileSystemUtils;

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
    private final @Nullable GitCache cache;

    /** A fetcher without a git cache: every job fetches from the server into its own directory. */
    SourceFetcher(GitUrlPolicy policy, GitUrlPolicy submodulePolicy, GitHosts hosts, Duration gitTimeout) {
        this(policy, submodulePolicy, hosts, gitTimeout, null, 0);
    }

    /**
     * A fetcher whose jobs fetch through the worker's mirrors under {@code cacheRoot}, at most {@code cacheMaxBytes}
     * together; no cache when {@code cacheRoot} is null.
     */
    SourceFetcher(
            GitUrlPolicy policy,
            GitUrlPolicy submodulePolicy,
            GitHosts hosts,
            Duration gitTimeout,
            @Nullable Path cacheRoot,
            long cacheMaxBytes) {
        this.policy = policy;
        this.hosts = hosts;
        this.git = new Git(policy, gitTimeout);
        this.submodules = new Submodules(submodulePolicy, hosts, new Git(submodulePolicy, gitTimeout));
        this.cache = cacheRoot == null ? null : new GitCache(cacheRoot, cacheMaxBytes, git);
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
        if (cache == null) {
            git(attempt, checkout, "init", "-q", ".");
            ProcessResult byId = git.run(
                    attempt, checkout, pins, "fetch", "-q", "--depth", "1", "--no-tags", "--", repository, commit);
            if (!byId.succeeded()) {
                fetchRef(attempt, checkout, new Remote(repository, pins), ref, commit, byId);
            }
            checkOut(attempt, checkout, commit);
            fetchSubmodules(attempt, repository, withSubmodules, checkout);
            return;
        }
        // the checkout borrows the mirror's objects until it has its own copy, so the mirror is not evicted till then
        try (GitCache.Use mirror = cache.use(repository)) {
            fetchThroughCache(attempt, mirror, new Remote(repository, pins), ref, commit, checkout);
        }
        fetchSubmodules(attempt, repository, withSubmodules, checkout);
    }

    /**
     * Brings the commit into the worker's mirror of the repository, then makes the job's own repository borrow the
     * mirror's objects (git's alternates, as {@code git clone --shared} does) to check out, and copy the commit's
     * objects before it stops borrowing (as {@code git clone --dissociate} does): the job's {@code .git} is then what
     * it was without the cache, a repository of that one commit, which a build that runs git on its context needs,
     * and it never writes into the mirror nor depends on it afterwards. A checkout that finds the mirror's objects
     * broken deletes the mirror and starts again, once.
     */
    private void fetchThroughCache(
            Attempt attempt, GitCache.Use mirror, Remote remote, String ref, String commit, Path checkout)
            throws JobFailure {
        for (int round = 1; ; round++) {
            long started = System.nanoTime();
            GitCache.Fetched fetched = mirror.ensure(attempt, remote.url(), remote.pins(), ref, commit);
            long millis = (System.nanoTime() - started) / 1_000_000;
            attempt.log()
                    .line(
                            fetched.hit()
                                    ? "git cache hit: " + commit
                                            + " was already in this worker's mirror, fetched 0 objects"
                                    : "git cache miss: fetched " + fetched.objects() + " objects ("
                                            + fetched.kibibytes() + " KiB) into this worker's mirror in " + millis
                                            + " ms");
            git(attempt, checkout, "init", "-q", ".");
            borrowObjects(mirror.mirror(), checkout);
            ProcessResult checkedOut = git.run(
                    attempt, checkout, List.of("advice.detachedHead=false"), "checkout", "-q", "--detach", commit);
            if (checkedOut.succeeded()) {
                verifyHead(checkout, commit);
                dissociate(attempt, checkout);
                return;
            }
            if (round > 1 || !GitCache.looksCorrupt(checkedOut)) {
                require(checkedOut, "git checkout of " + commit + " failed");
            }
            attempt.log()
                    .line("git cache: the mirror's objects are broken (" + checkedOut.lastLine()
                            + "); deleting it and fetching again");
            mirror.discard();
            clear(checkout);
        }
    }

    private void dissociate(Attempt attempt, Path checkout) throws JobFailure {
        // stored, not compressed again, and without a search for deltas: the copy lives as long as the job, and
        // compressing a tree of some MB took longer than the whole warm fetch
        require(
                git.run(attempt, checkout, List.of("pack.compression=0"), "repack", "-a", "-d", "-q", "--window=0"),
                "cannot copy the commit's objects out of the git cache");
        try {
            Files.delete(checkout.resolve(".git/objects/info/alternates"));
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot stop borrowing from the git cache: " + e);
        }
    }

    private static void borrowObjects(Path mirror, Path checkout) throws JobFailure {
        try {
            Path info = checkout.resolve(".git/objects/info");
            Files.createDirectories(info);
            Files.writeString(
                    info.resolve("alternates"), mirror.resolve("objects").toAbsolutePath() + "\n");
            // the mirror is shallow: without its boundary, git would look for parents that were never fetched
            Path shallow = mirror.resolve("shallow");
            if (Files.exists(shallow)) {
                Files.copy(shallow, checkout.resolve(".git/shallow"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot point the checkout at the git cache: " + e);
        }
    }

    private void checkOut(Attempt attempt, Path checkout, String commit) throws JobFailure {
        require(
                git.run(attempt, checkout, List.of("advice.detachedHead=false"), "checkout", "-q", "--detach", commit),
                "git checkout of " + commit + " failed");
        verifyHead(checkout, commit);
    }

    /**
     * A detached checkout writes the commit id into {@code .git/HEAD}: read there rather than asked of
     * {@code git rev-parse}, a process on every job's way.
     */
    private static void verifyHead(Path checkout, String commit) throws JobFailure {
        String head;
        try {
            head = Files.readString(checkout.resolve(".git").resolve("HEAD")).strip();
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot read the checkout's HEAD: " + e);
        }
        if (!head.equals(commit)) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "checked out " + head + " instead of " + commit);
        }
    }

    private void fetchSubmodules(Attempt attempt, String repository, boolean withSubmodules, Path checkout)
            throws JobFailure {
        if (withSubmodules) {
            submodules.fetch(attempt, repository, checkout);
        } else {
            submodules.reportNotFetched(attempt, checkout);
        }
    }

    /** Servers that refuse fetching an unadvertised commit id still serve the ref; the commit must be in it. */
    /** The repository's URL and the pins of its checked addresses. */
    private record Remote(String url, List<String> pins) {}

    private void fetchRef(Attempt attempt, Path checkout, Remote remote, String ref, String commit, ProcessResult byId)
            throws JobFailure {
        String repository = remote.url();
        if (ref == null || ref.isBlank() || ref.startsWith("-")) {
            throw fetchFailed(repository, commit, byId);
        }
        attempt.log().line("fetching by commit id was refused; fetching " + ref + " instead");
        ProcessResult byRef =
                git.run(attempt, checkout, remote.pins(), "fetch", "-q", "--no-tags", "--", repository, ref);
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

    /** See {@link GitFailures}: a git server failing for now is retried, one that refuses is the build's failure. */
    static JobFailure fetchFailed(String repository, String commit, ProcessResult result) {
        return GitFailures.of(repository, commit, result.lastLines());
    }

    private static void clear(Path checkout) throws JobFailure {
        try {
            FileSystemUtils.deleteRecursively(checkout);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot clear the checkout directory " + checkout + ": " + e);
        }
        createDirectory(checkout);
    }

    private static void createDirectory(Path checkout) throws JobFailure {
        try {
            Files.createDirectories(checkout);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot create checkout directory " + checkout + ": " + e);
        }
    }
}
