package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the words git (and curl and ssh under it) use when a fetch fails, and tells the git server failing for now
 * (refused or reset connection, a timeout, a 5xx answer: retried, naming the server) from a refusal that will not
 * change (no access, no such repository: the build's own failure).
 */
final class GitFailures {

    /** The server, or the way to it, failing for now. */
    private static final List<String> TRANSIENT = List.of("connection refused", "couldn't connect to server",
            "failed to connect to", "connection timed out", "operation timed out", "timed out after",
            "connection reset", "empty reply from server", "recv failure", "send failure", "broken pipe",
            "the remote end hung up unexpectedly", "early eof", "temporary failure in name resolution",
            "could not resolve host", "no route to host", "network is unreachable");
    private static final Pattern SERVER_ERROR = Pattern.compile("the requested url returned error: (5\\d\\d|429)");
    /** The server answered, and said no. */
    private static final List<String> REFUSED = List.of("authentication failed", "could not read username",
            "could not read password", "permission denied", "host key verification failed", "not found",
            "the requested url returned error: 401", "the requested url returned error: 403",
            "the requested url returned error: 404", "does not appear to be a git repository");

    private GitFailures() {
    }

    /**
     * Why fetching {@code what} from {@code repository} failed, as a {@link JobFailure}: INFRA_FAILED naming the git
     * server when it failed for now, FAILED when it refused, INFRA_FAILED as before when git's words say neither.
     */
    static JobFailure of(String repository, String what, List<String> lines) {
        String text = String.join("\n", lines);
        String lower = text.toLowerCase(Locale.ROOT);
        Optional<String> words = transientWords(lower);
        String server = GitHosts.serverOf(repository).orElse(repository);
        if (words.isPresent() && !refused(lower)) {
            return new JobFailure(JobOutcome.INFRA_FAILED, PartOutage.reason(PartOutage.GIT_SERVER, server,
                    "the fetch of " + what + " from " + repository, words.get()) + "\n" + fatal(lines));
        }
        if (refused(lower)) {
            return new JobFailure(JobOutcome.FAILED, "git server " + server + " refused the fetch of " + what
                    + " from " + repository + ": " + fatal(lines) + " (check the repository URL and that the farm"
                    + " may read it)");
        }
        return new JobFailure(JobOutcome.INFRA_FAILED, "fetching " + what + " from " + repository + " failed: "
                + fatal(lines));
    }

    /** The words of a git server failing for now in {@code lower}, if any. */
    static Optional<String> transientWords(String lower) {
        Matcher status = SERVER_ERROR.matcher(lower);
        if (status.find()) {
            return Optional.of(status.group());
        }
        return TRANSIENT.stream().filter(lower::contains).findFirst();
    }

    private static boolean refused(String lower) {
        return REFUSED.stream().anyMatch(lower::contains);
    }

    /** git's own error lines ({@code fatal: …}, and what follows them), or its last line. */
    private static String fatal(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("fatal: ")) {
                return String.join(" ", lines.subList(i, lines.size())).strip();
            }
        }
        return lines.isEmpty() ? "(git said nothing)" : lines.getLast();
    }
}
