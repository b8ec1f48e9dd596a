package io.archfarm.scheduler.manifests;

/**
 * The registry could not be reached or answered something other than what the distribution spec promises. A
 * transient one (the connection refused, reset or timed out, a 5xx or 429 answer) may go away by itself: the merge
 * tries again later, within the outage budget.
 */
class RegistryException extends Exception {

    private final boolean transientFault;

    RegistryException(String message) {
        this(message, null, false);
    }

    RegistryException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private RegistryException(String message, Throwable cause, boolean transientFault) {
        super(message, cause);
        this.transientFault = transientFault;
    }

    /** The registry or the way to it failing for now. */
    static RegistryException transientFault(String message, Throwable cause) {
        return new RegistryException(message, cause, true);
    }

    /** An answer of {@code status} that is not the one asked for: transient for a 5xx or 429. */
    static RegistryException answered(String message, int status) {
        return new RegistryException(message, null, isTransient(status));
    }

    static boolean isTransient(int status) {
        return status >= 500 || status == 429;
    }

    boolean isTransient() {
        return transientFault;
    }
}
