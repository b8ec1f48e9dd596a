package io.archfarm.model;

import io.archfarm.model.metrics.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the words git (and curl and ssh under it) use when it fails to reach a repository, in one place for the
 * parts that run git (the portal's {@code ls-remote}, a worker's fetch): a server failing for now (refused or reset
 * connection, a timeout, a 5xx answer) is told from one that answered no (no access, no such repository).
 */
public final class GitErrors {

    /** The server, or the way to it, failing for now. */
    private static final List<String> TRANSIENT = List.of(
            "connection refused",
            "couldn't connect to server",
            "failed to connect to",
            "connection timed out",
            "operation timed out",
            "timed out after",
            "connection reset",
            "empty reply from server",
            "recv failure",
            "send failure",
            "broken pipe",
            "the remote end hung up unexpectedly",
            "early eof",
            "temporary failure in name resolution",
            "could not resolve host",
            "no route to host",
            "network is unreachable");

    private static final Pattern SERVER_ERROR = Pattern.compile("the requested url returned error: (5\\d\\d|429)");
    /** The server answered, and said no. */
    private static final List<String> REFUSALS = List.of(
            "authentication failed",
            "could not read username",
            "could not read password",
            "permission denied",
            "host key verification failed",
            "not found",
            "the requested url returned error: 401",
            "the requested url returned error: 403",
            "the requested url returned error: 404",
            "does not appear to be a git repository");

    private GitErrors() {}

    /** The words of a git server failing for now in {@code lower} (git's output in lower case), if any. */
    public static Optional<String> transientWords(String lower) {
        Matcher status = SERVER_ERROR.matcher(lower);
        if (status.find()) {
            return Optional.of(status.group());
        }
        return TRANSIENT.stream().filter(lower::contains).findFirst();
    }

    /** Whether the server answered and refused (no access, no such repository), in {@code lower}. */
    public static boolean refused(String lower) {
        return REFUSALS.stream().anyMatch(lower::contains);
    }

    /** What the metrics count a failure with git's {@code output} as: refused, unreachable or other. */
    public static ErrorKind kind(String output) {
        String lower = output.toLowerCase(Locale.ROOT);
        if (refused(lower)) {
            return ErrorKind.REFUSED;
        }
        return transientWords(lower).isPresent() ? ErrorKind.UNREACHABLE : ErrorKind.OTHER;
    }
}
