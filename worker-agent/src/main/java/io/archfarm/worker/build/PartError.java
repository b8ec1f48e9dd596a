package io.archfarm.worker.build;

import io.archfarm.model.metrics.ErrorKind;

/**
 * A job's failure on the way to one of the parts a worker meets on its own, as the worker's metrics count it:
 * {@code archfarm_registry_errors_total} and {@code archfarm_git_errors_total}, by kind.
 *
 * @param part {@link #REGISTRY} or {@link #GIT}
 */
public record PartError(String part, ErrorKind kind) {

    public static final String REGISTRY = "registry";
    public static final String GIT = "git";

    static PartError registry(ErrorKind kind) {
        return new PartError(REGISTRY, kind);
    }

    static PartError git(ErrorKind kind) {
        return new PartError(GIT, kind);
    }

    /** The name of the counter the error adds to. */
    public String metric() {
        return "archfarm." + part + ".errors";
    }
}
