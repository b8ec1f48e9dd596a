package io.archfarm.model.messages;

import java.util.List;
import java.util.Objects;

/**
 * What the layer cache did for one attempt: for each step of the Containerfile that buildah can cache, whether it
 * reused a layer (a hit) or built one (a miss).
 *
 * @param layerCache the {@link io.archfarm.model.LayerCache} the job ran with, by name
 * @param store      the image store the job built in, as the job log names it: {@code <scope>/<platform>/<n>}
 * @param steps      in the order buildah ran them
 */
public record JobCache(String layerCache, String store, List<Step> steps) {

    public JobCache {
        // a worker is trusted less than the scheduler: a null step is dropped rather than losing the whole result
        steps = steps == null
                ? List.of()
                : steps.stream().filter(Objects::nonNull).toList();
    }

    public long hits() {
        return steps.stream().filter(Step::hit).count();
    }

    public long misses() {
        return steps.size() - hits();
    }

    /**
     * @param step        as buildah numbers it, {@code 3/7}
     * @param instruction the Containerfile instruction, at most 200 characters, build secrets redacted
     * @param hit         whether a cached layer was used
     */
    public record Step(String step, String instruction, boolean hit) {}
}
