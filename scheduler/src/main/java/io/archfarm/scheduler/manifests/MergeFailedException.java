package io.archfarm.scheduler.manifests;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The manifest list could not be published; the message is the build's error. When the registry failed for now
 * ({@link #outagePart()}), the merge is tried again with back-off instead.
 */
class MergeFailedException extends Exception {

    private final @Nullable String outagePart;

    MergeFailedException(String message, Throwable cause) {
        super(message, cause);
        this.outagePart = null;
    }

    /** @param outagePart the part that failed for now, e.g. {@code registry 127.0.0.1:5000} */
    MergeFailedException(String message, RegistryException cause, String outagePart) {
        super(message, cause);
        this.outagePart = cause.isTransient() ? outagePart : null;
    }

    /** The part failing for now, when the failure is transient; empty when it is the build's own failure. */
    Optional<String> outagePart() {
        return Optional.ofNullable(outagePart);
    }
}
