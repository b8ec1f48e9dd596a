package io.archfarm.afctl.builds;

import io.archfarm.afctl.text.Text;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The progress of a followed build as lines appended to a log: a line whenever the build's status changes or a
 * platform's status, mode, worker, attempt or step does, each stamped with the time since following began, and
 * one for the end. Nothing is redrawn, so it reads well in a CI job's log.
 */
final class PlainProgress extends ProgressDisplay {

    /** Worker names are not known up front; most fit, so the columns after them line up. */
    private static final int WORKER_WIDTH = 12;

    private final PrintWriter out;
    private final Instant started;
    private final Map<String, String> shown = new HashMap<>();
    private @Nullable String shownBuild;

    PlainProgress(PrintWriter out, Clock clock) {
        super(clock);
        this.out = out;
        this.started = clock.instant();
    }

    @Override
    void changed(Instant now) {
        progress.current().ifPresent(build -> {
            String stamp = "[" + Text.clock(Duration.between(started, now)) + "] ";
            String buildLine = "build " + build.title() + " " + build.status();
            if (!build.ended() && !buildLine.equals(shownBuild)) {
                out.println(stamp + buildLine);
                shownBuild = buildLine;
            }
            List<Progress.Row> rows = progress.rows(now);
            int width =
                    rows.stream().mapToInt(row -> row.platform().length()).max().orElse(0);
            for (Progress.Row row : rows) {
                String line = line(row, width);
                if (!line.equals(shown.put(row.platform(), line))) {
                    out.println(stamp + line);
                }
            }
            out.flush();
        });
    }

    private static String line(Progress.Row row, int width) {
        StringBuilder line = new StringBuilder(Text.padRight(row.platform(), width))
                .append("  ")
                .append(Text.padRight(row.status(), 9))
                .append("  ")
                .append(Text.padRight(row.mode() == null ? "-" : row.mode(), 8))
                .append("  ")
                .append(Text.padRight(row.worker() == null ? "-" : row.worker(), WORKER_WIDTH));
        if (row.attempt() > 1) {
            line.append("  attempt ").append(row.attempt());
        }
        if (row.step() != null) {
            line.append("  step ").append(row.step());
        }
        return line.toString().stripTrailing();
    }

    @Override
    void quiet(Instant now) {
        // a log gets no line for a clock that moved
    }

    @Override
    void finish(Instant now) {
        progress.current().ifPresent(build -> {
            out.println("[" + Text.clock(Duration.between(started, now)) + "] build " + build.title() + " "
                    + build.status() + " after " + Text.clock(build.elapsed(now)));
            out.flush();
        });
    }
}
