package io.archfarm.model.metrics;

import java.util.Locale;

/**
 * What went wrong on the way to a registry or a git server, as every part counts it ({@code kind} of
 * {@code archfarm_registry_errors_total} and {@code archfarm_git_errors_total}): few values, so that an alert can say
 * "the registry is down" apart from "a project's login is wrong".
 */
public enum ErrorKind {

    /** Refused or reset connection, a timeout, a 5xx or 429 answer: failing for now, retried. */
    UNREACHABLE,
    /** The server answered no: a login refused, no access, no such repository. */
    REFUSED,
    /** A TLS certificate the part does not trust. */
    UNTRUSTED,
    /** Any other answer the part did not expect. */
    OTHER;

    /** As the metric's {@code kind} label says it. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
