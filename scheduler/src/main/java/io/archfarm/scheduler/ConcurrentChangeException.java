package io.archfarm.scheduler;

/**
 * A guarded change of a job or a build lost: the row moved on between the read and the write. Where the caller holds
 * the row's lock this cannot happen, so it is a bug, not a race; it is not an IllegalStateException, so that a
 * listener's message is redelivered and looked at again rather than dropped.
 */
public class ConcurrentChangeException extends RuntimeException {

    public ConcurrentChangeException(String message) {
        super(message);
    }

    /** Throws unless the guarded change {@code won}; {@code what} names the change and its row. */
    public static void requireWon(boolean won, String what) {
        if (!won) {
            throw new ConcurrentChangeException(what + " lost: the row changed meanwhile although it was locked");
        }
    }
}
