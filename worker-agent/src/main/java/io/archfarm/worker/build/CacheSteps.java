package io.archfarm.worker.build;

import io.archfarm.model.LayerCache;
import io.archfarm.model.messages.JobCache;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code buildah build}'s output as it comes and tells, for each step, whether the layer cache had it. buildah
 * 1.28 announces each step ({@code STEP 3/7: RUN make}, with {@code [2/3] } before it in a multi-stage build) and
 * says {@code --> Using cache <id>} after a step it took from the cache; a step it built says nothing of its own
 * (the next step's line, or {@code COMMIT}, follows). {@code FROM} is no step of the cache: it pulls or names a stage.
 * The ids met on the way (cached images, the stages a later {@code FROM} names) are the images the build used.
 *
 * <p>The output also carries what RUN steps print, so a RUN can fake a line: the worst it gets is a wrong count in
 * its own build's record, never another build's layer. Used by the one thread that reads the output.
 */
final class CacheSteps implements Consumer<String> {

    /** What the build page shows of an instruction at most. */
    static final int MAX_INSTRUCTION = 200;

    private static final Pattern STEP = Pattern.compile("^(?:\\[(\\d+/\\d+)] )?STEP (\\d+/\\d+): (.*)$");
    private static final Pattern HIT = Pattern.compile("^--> Using cache ([0-9a-f]{64})$");
    private static final Pattern FROM_IMAGE = Pattern.compile("(?i)^FROM ([0-9a-f]{64})(?:\\s.*)?$");

    private final Consumer<String> next;
    private final List<JobCache.Step> steps = new ArrayList<>();
    private final Set<String> usedImages = new LinkedHashSet<>();
    private @Nullable String step;
    private @Nullable String instruction;
    private boolean hit;

    CacheSteps(Consumer<String> next) {
        this.next = next;
    }

    @Override
    public void accept(String line) {
        Matcher hitLine = HIT.matcher(line);
        if (hitLine.matches()) {
            hit = step != null;
            usedImages.add(hitLine.group(1));
        } else {
            Matcher stepLine = STEP.matcher(line);
            if (stepLine.matches()) {
                end();
                String text = stepLine.group(3).strip();
                Matcher from = FROM_IMAGE.matcher(text);
                if (from.matches()) {
                    usedImages.add(from.group(1));
                }
                if (!text.regionMatches(true, 0, "FROM ", 0, 5)) {
                    step = stepLine.group(1) == null
                            ? stepLine.group(2)
                            : "[" + stepLine.group(1) + "] " + stepLine.group(2);
                    instruction = text;
                }
            }
        }
        next.accept(line);
    }

    private void end() {
        // both are set together, on the line that starts a step
        if (step != null && instruction != null) {
            steps.add(new JobCache.Step(step, instruction, hit));
        }
        step = null;
        instruction = null;
        hit = false;
    }

    /**
     * The steps so far as the job's record has them; {@code redact} is the job log's, so an instruction shows no
     * more of a build secret than the log does.
     */
    JobCache toCache(LayerCache cache, String store, UnaryOperator<String> redact) {
        end();
        return new JobCache(
                cache.name(),
                store,
                steps.stream()
                        .map(s -> new JobCache.Step(s.step(), cap(redact.apply(s.instruction())), s.hit()))
                        .toList());
    }

    /** The ids of the images the build took from the cache or named as a stage, in the order met. */
    Set<String> usedImages() {
        return Set.copyOf(usedImages);
    }

    private static String cap(String instruction) {
        return instruction.length() <= MAX_INSTRUCTION
                ? instruction
                : instruction.substring(0, MAX_INSTRUCTION - 1) + "…";
    }
}
