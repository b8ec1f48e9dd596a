package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import io.archfarm.model.metrics.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The submodules of a checked-out commit. They are fetched only when the build asks (the project's setting), then
 * shallow, and level by level: their URLs come from the repository and are as untrusted as its own URL, so before
 * git fetches a level, git writes the URLs it would use into the repository's configuration ({@code git submodule
 * init}: relative ones resolved, nothing fetched), and each of them passes the submodule {@link GitUrlPolicy} and the
 * farm's host rule ({@link GitHosts}, which resolves names itself). Only then does git fetch that level, and the next
 * level's {@code .gitmodules}, now checked out, is checked the same way before anything deeper is fetched. When the
 * build does not ask, they are left alone, and the log says so, so that an empty directory in the build context is
 * not a mystery.
 */
final class Submodules {

    /** A line of {@code git submodule status}: state, commit, path, and git's description in parentheses. */
    private static final Pattern STATUS = Pattern.compile("^([ +U-])([0-9a-f]+) (.+?)(?: \\(.*\\))?$");

    private static final String SUBMODULE = "submodule.";
    private static final String URL = ".url";
    private static final String FATAL = "fatal: ";
    /** git's words for the submodule clone that failed. */
    private static final Pattern CLONE_OF = Pattern.compile("clone of '([^']+)' into submodule path");
    /** Deeper nesting than this is no real project's layout; it stops a repository that nests itself. */
    static final int MAX_DEPTH = 8;

    private final GitUrlPolicy policy;
    private final GitHosts hosts;
    private final Git git;

    Submodules(GitUrlPolicy policy, GitHosts hosts, Git git) {
        this.policy = policy;
        this.hosts = hosts;
        this.git = git;
    }

    void fetch(Attempt attempt, String repository, Path checkout) throws JobFailure {
        List<DeclaredSubmodule> declared = DeclaredSubmodule.readFrom(git, attempt, checkout);
        if (declared.isEmpty()) {
            attempt.log().line("the build asks for submodules; this commit declares none");
            return;
        }
        // a relative submodule URL is resolved against the remote "origin", which a fetch by URL does not set
        require(
                git.run(attempt, checkout, "config", "remote.origin.url", repository),
                "cannot record the repository URL for relative submodule URLs");
        Level level = initAndCheck(attempt, checkout, "", declared);
        attempt.log().line("fetching submodules " + paths(level.submodules(), "") + " (recursively, depth 1)");
        fetchLevel(attempt, checkout, "", level, 1);
        logFetched(attempt, checkout);
    }

    /** The submodules of one repository whose URLs passed, and the pins of their checked addresses. */
    private record Level(List<DeclaredSubmodule> submodules, List<String> pins) {}

    /** Fetches one level of submodules whose URLs passed, then, for each of them, the level below it. */
    private void fetchLevel(Attempt attempt, Path directory, String prefix, Level level, int depth) throws JobFailure {
        ProcessResult update = git.run(attempt, directory, level.pins(), "submodule", "update", "--depth", "1");
        if (!update.succeeded()) {
            throw updateFailed(update);
        }
        for (DeclaredSubmodule submodule : level.submodules()) {
            Path below = directory.resolve(submodule.path());
            List<DeclaredSubmodule> nested =
                    Files.exists(below.resolve(".git")) ? DeclaredSubmodule.readFrom(git, attempt, below) : List.of();
            if (nested.isEmpty()) {
                continue;
            }
            String where = prefix + submodule.path() + "/";
            if (depth >= MAX_DEPTH) {
                throw new JobFailure(
                        JobOutcome.FAILED,
                        "submodule " + prefix + submodule.path() + " has submodules" + " of its own more than "
                                + MAX_DEPTH + " levels down; the worker fetches no deeper");
            }
            Level nestedLevel = initAndCheck(attempt, below, where, nested);
            attempt.log().line("fetching submodules " + paths(nestedLevel.submodules(), where));
            fetchLevel(attempt, below, where, nestedLevel, depth + 1);
        }
    }

    /**
     * Lets git write the URLs it would fetch this level from into the repository's configuration (relative ones
     * resolved against the parent's URL; git connects to nothing here), and holds every one of them to the rules:
     * what is checked is what git reads, whatever names and paths {@code .gitmodules} gives.
     */
    private Level initAndCheck(Attempt attempt, Path directory, String prefix, List<DeclaredSubmodule> declared)
            throws JobFailure {
        require(git.run(attempt, directory, "submodule", "init"), "git submodule init failed");
        Map<String, String> pathsByName = new LinkedHashMap<>();
        declared.forEach(submodule -> pathsByName.put(submodule.name(), submodule.path()));
        List<String> pins = new ArrayList<>();
        for (Map.Entry<String, String> url : configuredUrls(attempt, directory).entrySet()) {
            String path = pathsByName.getOrDefault(url.getKey(), url.getKey());
            pins.addAll(check(prefix + path, url.getValue()));
        }
        return new Level(declared, pins.stream().distinct().toList());
    }

    /**
     * {@code submodule.<name>.url} of the repository's own configuration, by name. Read NUL-separated ({@code -z}),
     * so that no name or value, however odd, can make one entry look like another.
     */
    private Map<String, String> configuredUrls(Attempt attempt, Path directory) throws JobFailure {
        List<String> lines = new ArrayList<>();
        ProcessResult read = git.read(
                attempt, directory, lines::add, "config", "--local", "-z", "--get-regexp", "^submodule\\..*\\.url$");
        if (!read.succeeded() && read.exitCode() != 1) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED, "cannot read the submodule URLs git would use: " + read.lastLine());
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (String entry : String.join("\n", lines).split("\0")) {
            int newline = entry.indexOf('\n');
            String key = newline < 0 ? entry : entry.substring(0, newline);
            if (key.startsWith(SUBMODULE) && key.endsWith(URL) && key.length() > SUBMODULE.length() + URL.length()) {
                urls.put(
                        key.substring(SUBMODULE.length(), key.length() - URL.length()),
                        newline < 0 ? "" : entry.substring(newline + 1));
            }
        }
        return urls;
    }

    /** Says which submodules an empty directory stands for; an unreadable {@code .gitmodules} fails nothing here. */
    void reportNotFetched(Attempt attempt, Path checkout) throws JobFailure {
        if (!DeclaredSubmodule.declaredIn(checkout)) {
            return;
        }
        String which;
        try {
            List<DeclaredSubmodule> declared = DeclaredSubmodule.readFrom(git, attempt, checkout);
            which = declared.isEmpty() ? "" : " (" + paths(declared, "") + ")";
        } catch (JobFailure unreadable) {
            which = "";
        }
        attempt.log()
                .line("the repository has submodules" + which + " that were not fetched: the project does not"
                        + " ask for submodules, so their directories are empty");
    }

    private List<String> check(String path, String url) throws JobFailure {
        try {
            policy.check(url);
            return hosts.check(url);
        } catch (JobFailure refused) {
            throw new JobFailure(refused.outcome(), "submodule " + path + ": " + refused.getMessage());
        }
    }

    private void logFetched(Attempt attempt, Path checkout) throws JobFailure {
        List<String> status = new ArrayList<>();
        require(
                git.read(attempt, checkout, status::add, "submodule", "status", "--recursive"),
                "git submodule status failed");
        for (String line : status) {
            Matcher entry = STATUS.matcher(line);
            if (!entry.matches()) {
                continue;
            }
            attempt.log()
                    .line(
                            entry.group(1).equals("-")
                                    ? "submodule " + entry.group(3)
                                            + " was not fetched (its update mode in .gitmodules is none)"
                                    : "fetched submodule " + entry.group(3) + " at " + entry.group(2));
        }
    }

    /** Git retries a failed clone once, so its reasons come twice; each is said once, the file case with the cure. */
    private JobFailure updateFailed(ProcessResult update) {
        List<String> reasons = update.lastLines().stream()
                .filter(line -> line.startsWith(FATAL))
                .map(line -> line.substring(FATAL.length()))
                .distinct()
                .toList();
        String reason = reasons.isEmpty() ? update.lastLine() : String.join("; ", reasons);
        if (reasons.stream().anyMatch(line -> line.startsWith("transport '") && line.endsWith("' not allowed"))) {
            return new JobFailure(
                    JobOutcome.FAILED,
                    "fetching submodules failed: " + reason + " (this worker fetches"
                            + " submodules only over "
                            + policy.allowedProtocols().replace(':', ',')
                            + "; file:// needs archfarm.git.allow-file-submodules=true)");
        }
        return outage(update.lastLines(), reason)
                .orElse(new JobFailure(JobOutcome.INFRA_FAILED, "fetching submodules failed: " + reason));
    }

    /** A submodule's git server failing for now, named as {@link GitFailures} names a repository's. */
    private static Optional<JobFailure> outage(List<String> lines, String reason) {
        String text = String.join("\n", lines);
        Matcher clone = CLONE_OF.matcher(text);
        if (!clone.find()) {
            return Optional.empty();
        }
        String url = clone.group(1);
        return GitFailures.transientWords(text.toLowerCase(Locale.ROOT))
                .flatMap(words -> GitHosts.serverOf(url)
                        .map(server -> new JobFailure(
                                        JobOutcome.INFRA_FAILED,
                                        PartOutage.reason(
                                                        PartOutage.GIT_SERVER,
                                                        server,
                                                        "the fetch of submodule " + url,
                                                        words)
                                                + "; fetching submodules failed: " + reason)
                                .because(PartError.git(ErrorKind.UNREACHABLE))));
    }

    private static void require(ProcessResult result, String what) throws JobFailure {
        if (!result.succeeded()) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, what + ": " + result.lastLine());
        }
    }

    private static String paths(List<DeclaredSubmodule> declared, String prefix) {
        return declared.stream().map(submodule -> prefix + submodule.path()).collect(Collectors.joining(", "));
    }
}
