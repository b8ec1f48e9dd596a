package io.archfarm.portal.security;

import io.archfarm.portal.web.ThrottleProperties;
import io.archfarm.portal.web.TokenBuckets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Counts sign-in attempts with a password per account and per source address. Every attempt takes a token from
 * both buckets before the password is checked (so a burst of parallel guesses cannot slip past the count); a
 * successful attempt gives its two tokens back, a failed one keeps them. A success therefore never clears what
 * failed before it, neither for its account nor for its source.
 */
@Component
class SignInThrottle {

    private static final int LONGEST_ACCOUNT_KEY = 200;

    private final TokenBuckets<String> accounts;
    private final TokenBuckets<String> sources;

    SignInThrottle(ThrottleProperties properties) {
        this.accounts = new TokenBuckets<>(properties.failuresPerAccount(), properties.failureWindow());
        this.sources = new TokenBuckets<>(properties.failuresPerSource(), properties.failureWindow());
    }

    /** Takes an attempt for the account and the source: empty when both have one left, else how long to wait. */
    Optional<Duration> attempt(String account, String source) {
        String accountKey = accountKey(account);
        Optional<Duration> sourceWait = sources.take(source);
        if (sourceWait.isPresent()) {
            return sourceWait;
        }
        Optional<Duration> accountWait = accounts.take(accountKey);
        if (accountWait.isPresent()) {
            sources.giveBack(source); // refused before any password was checked: it cost the source nothing
        }
        return accountWait;
    }

    /** The attempt did not count as a failure (the password was right, or the farm failed to check it). */
    void notAFailure(String account, String source) {
        accounts.giveBack(accountKey(account));
        sources.giveBack(source);
    }

    /** User names are matched without regard to case, so that "Admin" and "admin" share one count. */
    private static String accountKey(String account) {
        String key = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        return key.length() > LONGEST_ACCOUNT_KEY ? key.substring(0, LONGEST_ACCOUNT_KEY) : key;
    }
}
