package io.archfarm.scheduler.outages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutageBackOffTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:01Z");
    private final OutageBackOff backOff =
            new OutageBackOff(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void waitsDoubleWithEachTryInARowUpToTheCap() {
        assertThat(backOff.wait(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backOff.wait(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backOff.wait(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backOff.wait(7)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backOff.wait(1000)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theNextTryIsBetweenHalfAndAllOfTheWait() {
        Outage fourth = new Outage("registry 127.0.0.1:5000", T0, 4);
        Instant now = T0.plusSeconds(20);
        for (int i = 0; i < 200; i++) {
            Duration wait = Duration.between(now, backOff.nextTry(fourth, now));
            assertThat(wait).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        }
    }

    @Test
    void theBudgetCountsFromTheFirstFailureOfTheSamePart() {
        Outage first = Outage.after(null, "registry 127.0.0.1:5000", T0);
        Outage later = Outage.after(first, "registry 127.0.0.1:5000", T0.plusSeconds(400));
        Outage other = Outage.after(later, "git server git.example:443", T0.plusSeconds(601));

        assertThat(later.since()).isEqualTo(T0);
        assertThat(later.failures()).isEqualTo(2);
        assertThat(backOff.budgetSpent(later, T0.plusSeconds(599))).isFalse();
        assertThat(backOff.budgetSpent(later, T0.plusSeconds(603))).isTrue();
        assertThat(other.since()).as("another part starts its own outage").isEqualTo(T0.plusSeconds(601));
        assertThat(backOff.budgetSpent(other, T0.plusSeconds(603))).isFalse();
    }

    @Test
    void anOutageSaysWhichPartForHowLongAndSinceWhen() {
        Outage outage = new Outage("registry 127.0.0.1:5000", T0, 9);

        assertThat(outage.describe(T0.plusSeconds(603)))
                .isEqualTo("registry 127.0.0.1:5000 unreachable for 10 min 3 s since 12:00:01 UTC");
        assertThat(outage.describe(T0.plusSeconds(4))).endsWith("unreachable for 4 s since 12:00:01 UTC");
    }
}
