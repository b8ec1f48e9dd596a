package io.archfarm.portal.builds;

import io.archfarm.model.messages.WorkerTools;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The jsonb columns of a build, read and written whole as JSON text (the column side casts it to jsonb). */
public final class JsonColumns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonColumns() {}

    public static List<String> stringList(String json) {
        return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() {});
    }

    public static Map<String, String> stringMap(String json) {
        return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    }

    /** A job's phases column; keys it does not know (a newer scheduler's) are left out. */
    public static BuildView.@Nullable PhasesView phases(@Nullable String json) {
        if (json == null) {
            return null;
        }
        Map<String, Long> phases = JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
        return new BuildView.PhasesView(
                phases.get("queueWait"),
                phases.get("claim"),
                phases.get("fetch"),
                phases.get("pull"),
                phases.get("build"),
                phases.get("push"),
                phases.get("merge"));
    }

    /**
     * A job's cache column ({@code {layerCache, store, steps: [{step, instruction, hit}]}}, as the scheduler keeps
     * it); hits and misses are counted here, from the steps, so they can never disagree with them.
     */
    @SuppressWarnings("unchecked")
    public static BuildView.@Nullable CacheView cache(@Nullable String json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> cache = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        List<BuildView.CacheStepView> steps = ((List<Map<String, Object>>) cache.getOrDefault("steps", List.of()))
                .stream()
                        .map(step -> new BuildView.CacheStepView(
                                (String) step.get("step"),
                                (String) step.get("instruction"),
                                Boolean.TRUE.equals(step.get("hit"))))
                        .toList();
        long hits = steps.stream().filter(BuildView.CacheStepView::hit).count();
        String mode = (String) cache.get("layerCache");
        return new BuildView.CacheView(
                mode == null ? null : mode.toLowerCase(Locale.ROOT),
                (String) cache.get("store"),
                hits,
                steps.size() - hits,
                steps);
    }

    /** A worker's or a job's tools column, as the scheduler keeps them (made fit to show); null stays null. */
    public static @Nullable WorkerTools tools(@Nullable String json) {
        return json == null ? null : JSON.readValue(json, WorkerTools.class);
    }

    @Converter
    public static class StringList implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return JSON.writeValueAsString(value == null ? List.of() : value);
        }

        @Override
        public List<String> convertToEntityAttribute(String json) {
            return stringList(json);
        }
    }

    @Converter
    public static class StringMap implements AttributeConverter<Map<String, String>, String> {
        @Override
        public String convertToDatabaseColumn(Map<String, String> value) {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(String json) {
            return stringMap(json);
        }
    }
}
