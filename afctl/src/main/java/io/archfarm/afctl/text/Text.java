package io.archfarm.afctl.text;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Small text helpers for afctl's human output: padding, clocks and ages. */
public final class Text {

    private Text() {}

    public static String padRight(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** A duration as a clock: {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    public static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return hours > 0 ? "%d:%02d:%02d".formatted(hours, minutes, rest) : "%d:%02d".formatted(minutes, rest);
    }

    /** How long ago, roughly, as podman says it: {@code 12s ago}, {@code 3m ago}, {@code 5h ago}, {@code 2d ago}. */
    public static @Nullable String ago(@Nullable Instant then, Instant now) {
        if (then == null) {
            return null;
        }
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 60) {
            return seconds + "s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h ago";
        }
        return seconds / 86_400 + "d ago";
    }

    /** The first {@code length} characters of a build id, as people and git abbreviate. */
    public static String shortId(String id) {
        return id == null || id.length() <= 8 ? id : id.substring(0, 8);
    }
}
