package io.archfarm.scheduler.results;

import io.archfarm.model.LayerCache;
import io.archfarm.model.messages.JobCache;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a worker says its layer cache did, made fit to keep and show: a worker is less trusted than the control plane,
 * and the steps end up on the build page and in the API as they are stored. Control characters go, texts and the
 * step list are cut to sizes no real Containerfile needs, and a cache mode the farm does not know is left out.
 */
final class ReportedCache {

    /** More steps than any Containerfile the farm has seen; a longer list is cut, not refused. */
    static final int MAX_STEPS = 500;

    static final int MAX_INSTRUCTION = 200;
    private static final int MAX_STEP = 16;
    private static final int MAX_STORE = 200;

    private ReportedCache() {}

    /** The {@code platform_jobs.cache} object, or null when the result says nothing about the cache. */
    static @Nullable Map<String, Object> of(@Nullable JobCache cache) {
        if (cache == null) {
            return null;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("layerCache", knownMode(cache.layerCache()));
        kept.put("store", text(cache.store(), MAX_STORE));
        List<Map<String, Object>> steps =
                cache.steps().stream().limit(MAX_STEPS).map(ReportedCache::step).toList();
        kept.put("steps", steps);
        return kept;
    }

    private static Map<String, Object> step(JobCache.Step step) {
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("step", text(step.step(), MAX_STEP));
        kept.put("instruction", text(step.instruction(), MAX_INSTRUCTION));
        kept.put("hit", step.hit());
        return kept;
    }

    private static @Nullable String knownMode(@Nullable String name) {
        return name != null
                        && Arrays.stream(LayerCache.values())
                                .anyMatch(mode -> mode.name().equals(name))
                ? name
                : null;
    }

    private static @Nullable String text(@Nullable String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
