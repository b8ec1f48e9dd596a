package io.archfarm.afctl.builds;

import io.archfarm.afctl.text.Lines;
import io.archfarm.afctl.text.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What following a build has learnt: the build as the farm last sent it, and per platform the step its log has
 * reached. buildah announces each step as {@code STEP 3/7: RUN make} ({@code [2/3] STEP 3/7: …} in a multi-stage
 * build); a new attempt of a platform starts its steps again.
 */
final class Progress {

    private static final Pattern STEP = Pattern.compile("^(?:\\[(\\d+/\\d+)] )?STEP (\\d+/\\d+): ");
    private static final String ATTEMPT_HEADER = "=== attempt ";

    /** One platform as a display shows it; null cells are not known yet. */
    record Row(String platform, String status, String mode, String worker, int attempt, String elapsed, String step) {
    }

    private Build build;
    private final Map<String, String> steps = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Lines> logLines = new HashMap<>();

    void build(Build next) {
        for (Build.PlatformJob job : next.platforms()) {
            Integer before = attempts.put(job.platform(), job.attempt());
            if (before != null && before != job.attempt()) {
                steps.remove(job.platform());
            }
        }
        build = next;
    }

    /** Reads the steps out of new log text; a line cut at the end of the text waits for its rest. */
    void log(String platform, String text) {
        logLines.computeIfAbsent(platform, p -> new Lines()).add(text).forEach(line -> line(platform, line));
    }

    private void line(String platform, String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (text.startsWith(ATTEMPT_HEADER)) {
            steps.remove(platform);
            return;
        }
        Matcher step = STEP.matcher(text);
        if (step.find()) {
            steps.put(platform, step.group(1) == null ? step.group(2) : "[" + step.group(1) + "] " + step.group(2));
        }
    }

    Optional<Build> current() {
        return Optional.ofNullable(build);
    }

    Optional<String> step(String platform) {
        return Optional.ofNullable(steps.get(platform));
    }

    List<Row> rows(Instant now) {
        List<Row> rows = new ArrayList<>();
        if (build == null) {
            return rows;
        }
        for (Build.PlatformJob job : build.platforms()) {
            rows.add(new Row(job.platform(), job.status(), job.mode(), job.worker(), job.attempt(),
                    job.elapsed(now).map(Text::clock).orElse(null), steps.get(job.platform())));
        }
        return rows;
    }
}
