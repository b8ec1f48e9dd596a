package io.archfarm.portal.security;

import io.archfarm.portal.web.ThrottleProperties;
import io.archfarm.portal.web.TokenBuckets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
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
    Optional<Duration> attempt(String account, String address) {
        String accountKey = accountKey(account);
        String source = sourceKey(address);
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
    void notAFailure(String account, String address) {
        accounts.giveBack(accountKey(account));
        sources.giveBack(sourceKey(address));
    }

    /**
     * An IPv4 address counts on its own; an IPv6 address by its /64, which one host or home usually holds whole:
     * counting each of its 2^64 addresses apart would let one guesser be millions of sources.
     */
    static String sourceKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "unknown" : address;
        }
        try {
            // a literal with ':' is parsed as IPv6 and never looked up in DNS; the container gives only literals
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** User names are matched without regard to case, so that "Admin" and "admin" share one count. */
    private static String accountKey(String account) {
        String key = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        return key.length() > LONGEST_ACCOUNT_KEY ? key.substring(0, LONGEST_ACCOUNT_KEY) : key;
    }
}
