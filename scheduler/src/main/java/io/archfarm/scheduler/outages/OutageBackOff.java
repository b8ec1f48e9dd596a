package io.archfarm.scheduler.outages;

import io.archfarm.scheduler.SchedulerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What to do after a try met an outage: wait, exponentially longer with each try in a row (with jitter, so that the
 * jobs an outage hit together do not all come back in the same instant, and capped), or give up once the part has
 * been failing for longer than the outage budget.
 */
@Component
public class OutageBackOff {

    private final Duration budget;
    private final Duration first;
    private final Duration max;

    @Autowired
    OutageBackOff(SchedulerProperties properties) {
        this(properties.outageBudget(), properties.retryBackoff(), properties.retryBackoffMax());
    }

    OutageBackOff(Duration budget, Duration first, Duration max) {
        this.budget = budget;
        this.first = first;
        this.max = max;
    }

    /** Whether the outage has lasted the whole budget: then the try that met it fails, naming the part. */
    public boolean budgetSpent(Outage outage, Instant now) {
        return Duration.between(outage.since(), now).compareTo(budget) >= 0;
    }

    /**
     * When the next try may start: half the capped exponential wait for certain, the other half at random ("equal
     * jitter"), so waits still grow while tries spread out.
     */
    public Instant nextTry(Outage outage, Instant now) {
        Duration wait = wait(outage.failures());
        long half = wait.toMillis() / 2;
        long jitter = half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
        return now.plusMillis(wait.toMillis() - half + jitter);
    }

    /** The capped exponential wait after {@code failures} tries in a row, before jitter. */
    Duration wait(int failures) {
        int doublings = Math.min(Math.max(0, failures - 1), 30);
        Duration wait = first.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }

    public Duration budget() {
        return budget;
    }
}
