package io.archfarm.portal.dashboard;

import java.util.List;
import java.util.stream.LongStream;

/**
 * The vertical axis of a duration chart: from 0 to a round duration at or above the longest value, in a handful of
 * round steps (10 s, 1 min, 5 min, ...), mapped onto the pixels from {@code bottom} (0) up to {@code top}.
 */
final class DurationScale {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long[] STEPS = {
        SECOND,
        2 * SECOND,
        5 * SECOND,
        10 * SECOND,
        15 * SECOND,
        30 * SECOND,
        MINUTE,
        2 * MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        24 * HOUR
    };
    private static final int MAX_STEPS = 5;

    private final long step;
    private final long max;
    private final double top;
    private final double bottom;

    DurationScale(double longestMillis, double top, double bottom) {
        this.step = stepFor(longestMillis);
        this.max = Math.max(step, (long) Math.ceil(longestMillis / step) * step);
        this.top = top;
        this.bottom = bottom;
    }

    private static long stepFor(double longestMillis) {
        for (long candidate : STEPS) {
            if (Math.ceil(longestMillis / candidate) <= MAX_STEPS) {
                return candidate;
            }
        }
        return (long) Math.ceil(longestMillis / MAX_STEPS / HOUR) * HOUR;
    }

    double y(double millis) {
        return round(bottom - (bottom - top) * Math.min(millis, max) / max);
    }

    List<Tick> ticks() {
        return LongStream.rangeClosed(0, max / step)
                .map(i -> i * step)
                .mapToObj(millis -> new Tick(y(millis), label(millis)))
                .toList();
    }

    /** Short enough for an axis: "30 s", "5 min", "1 min 30 s", "2 h". */
    static String label(long millis) {
        if (millis % HOUR == 0 && millis > 0) {
            return millis / HOUR + " h";
        }
        if (millis % MINUTE == 0 && millis > 0) {
            return millis / MINUTE + " min";
        }
        if (millis >= MINUTE) {
            return millis / MINUTE + " min " + millis % MINUTE / SECOND + " s";
        }
        return millis / SECOND + " s";
    }

    static double round(double pixels) {
        return Math.round(pixels * 10) / 10.0;
    }

    /** A gridline at {@code y} with its label. */
    record Tick(double y, String label) {}
}
