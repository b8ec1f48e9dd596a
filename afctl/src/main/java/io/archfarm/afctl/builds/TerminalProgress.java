package io.archfarm.afctl.builds;

import io.archfarm.afctl.cli.Terminal;
import io.archfarm.afctl.text.Table;
import io.archfarm.afctl.text.Text;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The progress of a followed build on a terminal: a block of a line for the build and a row per platform (status,
 * NATIVE/EMULATED, worker, elapsed, step), redrawn in place with ANSI cursor movement as things change and every
 * second for the clocks, at most ten times a second. Lines are cut to the terminal's width, so that none wraps and
 * the block stays where it was drawn.
 */
final class TerminalProgress extends ProgressDisplay {

    private static final String ESC = "\u001b[";
    private static final Duration MIN_REDRAW = Duration.ofMillis(100);
    private static final Duration CLOCK_REDRAW = Duration.ofSeconds(1);
    private static final Pattern STATUS = Pattern.compile("\\b(QUEUED|RUNNING|SUCCEEDED|PARTIAL|FAILED|CANCELLED)\\b");
    private static final Map<String, String> COLOURS = Map.of(
            "QUEUED", "2", "RUNNING", "36", "SUCCEEDED", "32", "PARTIAL", "33", "FAILED", "31", "CANCELLED", "33");

    private final PrintWriter out;
    private final Terminal terminal;
    private int drawnLines;
    private Instant drawnAt = Instant.MIN;
    private boolean dirty;

    TerminalProgress(PrintWriter out, Terminal terminal, Clock clock) {
        super(clock);
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    void changed(Instant now) {
        dirty = true;
        if (Duration.between(drawnAt, now).compareTo(MIN_REDRAW) >= 0) {
            draw(now);
        }
    }

    @Override
    void quiet(Instant now) {
        if (dirty || Duration.between(drawnAt, now).compareTo(CLOCK_REDRAW) >= 0) {
            draw(now);
        }
    }

    @Override
    void finish(Instant now) {
        draw(now);
    }

    private void draw(Instant now) {
        if (progress.current().isEmpty()) {
            return;
        }
        List<String> lines = lines(now);
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append(ESC).append(drawnLines).append('F');
        }
        for (String line : lines) {
            frame.append(ESC).append("2K").append(colour(cut(line))).append('\n');
        }
        frame.append(ESC).append('J');
        out.print(frame);
        out.flush();
        drawnLines = lines.size();
        drawnAt = now;
        dirty = false;
    }

    /** The block: the build's line, then the platforms' table. */
    List<String> lines(Instant now) {
        Build build = progress.current().orElseThrow();
        List<String> lines = new ArrayList<>();
        lines.add("build " + build.title() + "  " + build.status() + "  " + Text.clock(build.elapsed(now)));
        Table table = new Table("PLATFORM", "STATUS", "MODE", "WORKER", "ELAPSED", "STEP");
        for (Progress.Row row : progress.rows(now)) {
            String status = row.attempt() > 1 ? row.status() + " (attempt " + row.attempt() + ")" : row.status();
            table.row(row.platform(), status, row.mode(), row.worker(), row.elapsed(), row.step());
        }
        table.render().lines().forEach(line -> lines.add("  " + line));
        return lines;
    }

    private String cut(String line) {
        int width = terminal.columns() - 1;
        return width > 0 && line.length() > width ? line.substring(0, width) : line;
    }

    private String colour(String line) {
        if (!terminal.color()) {
            return line;
        }
        Matcher status = STATUS.matcher(line);
        if (!status.find()) {
            return line;
        }
        return line.substring(0, status.start()) + ESC + COLOURS.get(status.group(1)) + "m" + status.group(1) + ESC
                + "0m" + line.substring(status.end());
    }
}
