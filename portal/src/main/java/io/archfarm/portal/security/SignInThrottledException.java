package io.archfarm.portal.security;

import io.archfarm.portal.web.TokenBuckets;
import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** Too many failed sign-ins for the account or from the source address: no password was checked. */
final class SignInThrottledException extends AuthenticationException {

    private final transient Duration retryAfter;

    SignInThrottledException(Duration retryAfter) {
        super("too many failed sign-ins for this account or from this address; try again in "
                + TokenBuckets.retryAfterSeconds(retryAfter) + " seconds");
        this.retryAfter = retryAfter;
    }

    long retryAfterSeconds() {
        return TokenBuckets.retryAfterSeconds(retryAfter);
    }
}
