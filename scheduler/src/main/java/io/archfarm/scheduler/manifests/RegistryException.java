package io.archfarm.scheduler.manifests;

import io.archfarm.model.metrics.ErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * The registry could not be reached or answered something other than what the distribution spec promises. A
 * transient one (the connection refused, reset or timed out, a 5xx or 429 answer) may go away by itself: the merge
 * tries again later, within the outage budget.
 */
class RegistryException extends Exception {

    private final ErrorKind kind;

    RegistryException(String message) {
        this(message, null, ErrorKind.OTHER);
    }

    RegistryException(String message, @Nullable Throwable cause) {
        this(message, cause, ErrorKind.OTHER);
    }

    private RegistryException(String message, @Nullable Throwable cause, ErrorKind kind) {
        super(message, cause);
        this.kind = kind;
    }

    /** The registry or the way to it failing for now. */
    static RegistryException transientFault(String message, Throwable cause) {
        return new RegistryException(message, cause, ErrorKind.UNREACHABLE);
    }

    /** The registry refused the farm's login, or any login (401, 403). */
    static RegistryException refused(String message) {
        return new RegistryException(message, null, ErrorKind.REFUSED);
    }

    /** The registry's TLS certificate is not one the scheduler trusts. */
    static RegistryException untrusted(String message, Throwable cause) {
        return new RegistryException(message, cause, ErrorKind.UNTRUSTED);
    }

    /** An answer of {@code status} that is not the one asked for: transient for a 5xx or 429. */
    static RegistryException answered(String message, int status) {
        ErrorKind kind = isTransient(status)
                ? ErrorKind.UNREACHABLE
                : status == 401 || status == 403 ? ErrorKind.REFUSED : ErrorKind.OTHER;
        return new RegistryException(message, null, kind);
    }

    static boolean isTransient(int status) {
        return status >= 500 || status == 429;
    }

    boolean isTransient() {
        return kind == ErrorKind.UNREACHABLE;
    }

    /** What the metrics count it as ({@code archfarm_registry_errors_total{kind}}). */
    ErrorKind kind() {
        return kind;
    }
}
