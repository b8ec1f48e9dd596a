package io.archfarm.worker.build;

import java.time.Duration;
import java.util.List;

/**
 * How one external command ended.
 *
 * @param lastLines the last lines it printed (stdout and stderr together), oldest first
 */
record ProcessResult(int exitCode, boolean timedOut, boolean stopped, List<String> lastLines, Duration elapsed) {

    boolean succeeded() {
        return exitCode == 0 && !timedOut && !stopped;
    }

    String lastLine() {
        return lastLines.isEmpty() ? "(no output)" : lastLines.getLast();
    }

    String tail(int lines) {
        return String.join("\n", lastLines.subList(Math.max(0, lastLines.size() - lines), lastLines.size()));
    }
}
