package io.archfarm.scheduler.outages;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * A part of the farm failing for now, as a job's attempts or a build's merges met it: which part, since when, how many
 * tries in a row. Immutable; {@link OutageBackOff} decides what happens next.
 *
 * @param part     as the failure names it: {@code registry 127.0.0.1:5000}, {@code git server git.example:443}
 * @param since    the first failure of this run
 * @param failures tries in a row that met it, this one included
 */
public record Outage(String part, Instant since, int failures) {

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * This failure as part of the outage {@code previous} if it names the same part, else the first of a new one.
     *
     * @param previous the outage recorded so far, or null
     */
    public static Outage after(@Nullable Outage previous, String part, Instant now) {
        if (previous != null && previous.part().equals(part) && previous.since() != null) {
            return new Outage(part, previous.since(), previous.failures() + 1);
        }
        return new Outage(part, now, 1);
    }

    /** {@code registry 127.0.0.1:5000 unreachable for 10 min 3 s since 12:00:01 UTC}. */
    public String describe(Instant now) {
        return part + " unreachable for " + format(Duration.between(since, now)) + " since " + CLOCK.format(since)
                + " UTC";
    }

    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        return minutes > 0 ? minutes + " min " + rest + " s" : rest + " s";
    }
}
