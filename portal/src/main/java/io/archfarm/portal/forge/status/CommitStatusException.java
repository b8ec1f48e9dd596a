package io.archfarm.portal.forge.status;

import org.jspecify.annotations.Nullable;

/**
 * A forge did not take a status report. {@link #retryable()} tells the reporter whether trying the same report
 * later can help (the forge was down, slow or rate limiting) or not (the token or the repository is wrong).
 */
public class CommitStatusException extends RuntimeException {

    private final boolean retryable;

    CommitStatusException(String message, boolean retryable, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    CommitStatusException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    /** True for 5xx, 408, 429, I/O errors and timeouts; false for other answers, which will not change by waiting. */
    public boolean retryable() {
        return retryable;
    }
}
