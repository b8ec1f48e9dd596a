package io.archfarm.portal.security;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The password check, behind {@link SignInThrottle}: a throttled attempt is refused before the password is hashed
 * (which also keeps a flood of guesses from costing Argon2 time).
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final SignInThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, SignInThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication attempt) {
        String account = attempt.getName();
        String source = attempt.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null
                ? web.getRemoteAddress()
                : "unknown";
        Optional<Duration> wait = throttle.attempt(account, source);
        if (wait.isPresent()) {
            throw new SignInThrottledException(wait.get());
        }
        boolean failed = false;
        try {
            return passwords.authenticate(attempt);
        } catch (AuthenticationException e) {
            failed = true;
            throw e;
        } finally {
            if (!failed) {
                throttle.notAFailure(account, source);
            }
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
