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
import org.jspecify.annotations.Nullable;

/**
 * What following a build has learnt: the build as the farm last sent it, and per platform the step its log has
 * reached. buildah announces each step as {@code STEP 3/7: RUN make} ({@code [2/3] STEP 3/7: …} in a multi-stage
 * build); a new attempt of a platform starts its steps again.
 */
final class Progress {

    private static final Pattern STEP = Pattern.compile("^(?:\\[(\\d+/\\d+)] )?STEP (\\d+/\\d+): ");
    private static final String ATTEMPT_HEADER = "=== attempt ";

    /** One platform as a display shows it; null cells are not known yet. */
    record Row(
            String platform,
            String status,
            @Nullable String mode,
            @Nullable String worker,
            int attempt,
            @Nullable String elapsed,
            @Nullable String step) {}

    private @Nullable Build build;
    private final Map<String, Step> steps = new HashMap<>();
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
            steps.put(platform, new Step(step.group(1), step.group(2)));
        }
    }

    /**
     * A step as buildah counts it, {@code 3/7}, and in a multi-stage build the stage too, {@code 2/3}. A job that
     * succeeded ran them all, whatever of its log has arrived yet: the farm may report the end before the last lines.
     */
    private record Step(@Nullable String stage, String step) {

        Step completed() {
            return new Step(stage == null ? null : whole(stage), whole(step));
        }

        private static String whole(String fraction) {
            String of = fraction.substring(fraction.indexOf('/') + 1);
            return of + "/" + of;
        }

        @Override
        public String toString() {
            return stage == null ? step : "[" + stage + "] " + step;
        }
    }

    Optional<Build> current() {
        return Optional.ofNullable(build);
    }

    Optional<String> step(String platform) {
        return Optional.ofNullable(steps.get(platform)).map(Step::toString);
    }

    List<Row> rows(Instant now) {
        List<Row> rows = new ArrayList<>();
        if (build == null) {
            return rows;
        }
        for (Build.PlatformJob job : build.platforms()) {
            Optional<Step> step = Optional.ofNullable(steps.get(job.platform()))
                    .map(reached -> "SUCCEEDED".equals(job.status()) ? reached.completed() : reached);
            rows.add(new Row(
                    job.platform(),
                    job.status(),
                    job.mode(),
                    job.worker(),
                    job.attempt(),
                    job.elapsed(now).map(Text::clock).orElse(null),
                    step.map(Step::toString).orElse(null)));
        }
        return rows;
    }
}
