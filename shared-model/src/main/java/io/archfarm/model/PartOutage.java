package io.archfarm.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a worker says that a part of the farm failed for now (refused or reset the connection, timed out, answered
 * 5xx), so that the scheduler can tell an outage from the build's own failure: the {@code JobFinished} error of such
 * an INFRA_FAILED attempt begins with the part ({@code registry 127.0.0.1:5000}, {@code git server git.example:443}),
 * then {@code failed}, what it failed and the tool's words. The scheduler retries it with back-off within the outage
 * budget and, after the budget, fails the job naming the part and how long it was down.
 */
public final class PartOutage {

    /** The two kinds of part a worker meets on its own; the broker and the database are the control plane's. */
    public static final String REGISTRY = "registry";

    public static final String GIT_SERVER = "git server";

    private static final Pattern PART = Pattern.compile("^((?:registry|git server) [^\\s'\"]+) failed ");

    private PartOutage() {}

    /**
     * The reason of an attempt that met an outage: {@code registry 127.0.0.1:5000 failed the push of
     * 127.0.0.1:5000/team/app ('connection refused'): the attempt is retried}.
     *
     * @param kind  {@link #REGISTRY} or {@link #GIT_SERVER}
     * @param host  the part's host and port as the job names it
     * @param doing what failed, e.g. {@code the push of 127.0.0.1:5000/team/app}
     * @param words the tool's own words that show the outage
     */
    public static String reason(String kind, String host, String doing, String words) {
        return kind + " " + host + " failed " + doing + " ('" + words + "'): the attempt is retried";
    }

    /** The part an attempt's error names as failing for now ({@code registry 127.0.0.1:5000}), if it is an outage. */
    public static Optional<String> partOf(@Nullable String error) {
        if (error == null) {
            return Optional.empty();
        }
        Matcher part = PART.matcher(error);
        return part.find() ? Optional.of(part.group(1)) : Optional.empty();
    }
}
