package io.archfarm.afctl.cli;

import io.archfarm.model.BuildStatus;

/**
 * What afctl's exit code means, so that a CI step can tell a failed build from a farm it could not reach. README.md
 * lists them.
 */
public final class ExitCodes {

    /** Done; for a followed build: it SUCCEEDED. */
    public static final int OK = 0;
    /** The farm refused the request (a problem other than authentication), or afctl failed otherwise. */
    public static final int ERROR = 1;
    /** A bad flag or argument (picocli's usage error). */
    public static final int USAGE = 2;
    /** The farm could not be reached, or did not accept the token, or afctl has no farm to talk to. */
    public static final int UNREACHABLE = 3;
    /** A followed build ended FAILED. */
    public static final int FAILED = 4;
    /** A followed build ended PARTIAL: some platforms failed, the others were published. */
    public static final int PARTIAL = 5;
    /** A followed build ended CANCELLED. */
    public static final int CANCELLED = 6;

    private ExitCodes() {}

    /** The exit code of a build that ended with {@code status}. */
    public static int of(BuildStatus status) {
        return switch (status) {
            case SUCCEEDED -> OK;
            case FAILED -> FAILED;
            case PARTIAL -> PARTIAL;
            case CANCELLED -> CANCELLED;
            case QUEUED, RUNNING -> throw new IllegalArgumentException("build status " + status + " has not ended");
        };
    }
}
