package io.archfarm.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.web.ThrottleProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counting rules of the sign-in throttle, without a server. */
class SignInThrottleTest {

    private final SignInThrottle throttle =
            new SignInThrottle(new ThrottleProperties(2, 3, Duration.ofMinutes(15), 10, Duration.ofMinutes(1)));

    @Test
    void anAccountIsCountedWithoutCaseAndASuccessGivesItsAttemptBack() {
        assertThat(throttle.attempt("Alice", "192.0.2.1")).isEmpty();
        throttle.notAFailure("Alice", "192.0.2.1");
        assertThat(throttle.attempt("alice", "192.0.2.1")).isEmpty();
        assertThat(throttle.attempt("ALICE", "192.0.2.2")).isEmpty();

        assertThat(throttle.attempt(" alice ", "192.0.2.3"))
                .hasValueSatisfying(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15)));
    }

    @Test
    void aThrottledAccountCostsItsSourceNothing() {
        throttle.attempt("bob", "192.0.2.9");
        throttle.attempt("bob", "192.0.2.9");
        assertThat(throttle.attempt("bob", "192.0.2.9")).isPresent();

        assertThat(throttle.attempt("carol", "192.0.2.9"))
                .as("the third failure of this source")
                .isEmpty();
        assertThat(throttle.attempt("dave", "192.0.2.9")).isPresent();
    }

    @Test
    void ipv6SourcesAreCountedByTheirSlash64() {
        assertThat(SignInThrottle.sourceKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(SignInThrottle.sourceKey("2001:db8:1:2:bbbb::2"))
                .isEqualTo("20010db800010002::/64");
        assertThat(SignInThrottle.sourceKey("2001:db8:1:3::1"))
                .isNotEqualTo(SignInThrottle.sourceKey("2001:db8:1:2::1"));
        assertThat(SignInThrottle.sourceKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(SignInThrottle.sourceKey(null)).isEqualTo("unknown");
    }
}
