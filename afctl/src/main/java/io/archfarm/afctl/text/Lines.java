package io.archfarm.afctl.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Text that arrives in pieces (a log, event by event) cut into whole lines: a line cut between two pieces waits for
 * its rest.
 */
public final class Lines {

    private final StringBuilder pending = new StringBuilder();

    /** The lines {@code text} completes, without their line breaks. */
    public List<String> add(String text) {
        pending.append(text);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n", start)) {
            lines.add(pending.substring(start, newline));
            start = newline + 1;
        }
        pending.delete(0, start);
        return lines;
    }

    /** What came after the last line break. */
    public String unfinished() {
        return pending.toString();
    }
}
