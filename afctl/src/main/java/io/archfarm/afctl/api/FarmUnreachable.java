package io.archfarm.afctl.api;

import org.jspecify.annotations.Nullable;

/** The farm did not answer: no connection, a timeout, or a connection that broke before the answer. */
public final class FarmUnreachable extends RuntimeException {

    public FarmUnreachable(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
