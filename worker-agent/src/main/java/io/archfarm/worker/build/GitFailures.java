package io.archfarm.worker.build;

import io.archfarm.model.GitErrors;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import io.archfarm.model.metrics.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells, from git's words ({@link GitErrors}), the git server failing for now (refused or reset connection, a
 * timeout, a 5xx answer: retried, naming the server) from a refusal that will not change (no access, no such
 * repository: the build's own failure).
 */
final class GitFailures {

    private GitFailures() {}

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
            return new JobFailure(
                            JobOutcome.INFRA_FAILED,
                            PartOutage.reason(
                                            PartOutage.GIT_SERVER,
                                            server,
                                            "the fetch of " + what + " from " + repository,
                                            words.get())
                                    + "\n" + fatal(lines))
                    .because(PartError.git(ErrorKind.UNREACHABLE));
        }
        if (refused(lower)) {
            return new JobFailure(
                            JobOutcome.FAILED,
                            "git server " + server + " refused the fetch of " + what
                                    + " from " + repository + ": " + fatal(lines)
                                    + " (check the repository URL and that the farm"
                                    + " may read it)")
                    .because(PartError.git(ErrorKind.REFUSED));
        }
        return new JobFailure(
                        JobOutcome.INFRA_FAILED,
                        "fetching " + what + " from " + repository + " failed: " + fatal(lines))
                .because(PartError.git(ErrorKind.OTHER));
    }

    /** The words of a git server failing for now in {@code lower}, if any. */
    static Optional<String> transientWords(String lower) {
        return GitErrors.transientWords(lower);
    }

    private static boolean refused(String lower) {
        return GitErrors.refused(lower);
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
