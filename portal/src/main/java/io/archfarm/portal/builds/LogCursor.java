package io.archfarm.portal.builds;

import java.util.Locale;
import java.util.Optional;

/**
 * How far a reader has seen a platform's log: the attempt and the sequence number of the last chunk shown, written
 * {@code "2.17"}. The start is {@code "0.0"}.
 */
record LogCursor(int attempt, long seq) implements Comparable<LogCursor> {

    static final LogCursor START = new LogCursor(0, 0);

    /**
     * Before the first chunk of {@code attempt}: a page that shows an attempt's header and none of its text yet. The
     * worker numbers an attempt's chunks from 0, so {@code "2.0"} would claim the first one seen (and a page opened
     * between the claim and the first chunk never showed it); this is {@code "2.-1"}.
     */
    static LogCursor beforeChunksOf(int attempt) {
        return new LogCursor(attempt, -1);
    }

    static LogCursor parse(String text) {
        if (text == null || text.isBlank()) {
            return START;
        }
        int dot = text.indexOf('.');
        try {
            return dot < 0
                    ? START
                    : new LogCursor(Integer.parseInt(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return START;
        }
    }

    /** {@code "2.17"} (or {@code "2.-1"}) exactly, as {@link #toString} writes it; empty for anything else. */
    static Optional<LogCursor> parseExactly(String text) {
        if (text == null || !text.matches("\\d{1,9}\\.(-1|\\d{1,18})")) {
            return Optional.empty();
        }
        int dot = text.indexOf('.');
        return Optional.of(
                new LogCursor(Integer.parseInt(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1))));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d.%d", attempt, seq);
    }

    @Override
    public int compareTo(LogCursor other) {
        return attempt != other.attempt ? Integer.compare(attempt, other.attempt) : Long.compare(seq, other.seq);
    }
}
