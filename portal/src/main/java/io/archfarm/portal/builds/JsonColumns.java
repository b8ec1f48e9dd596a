package io.archfarm.portal.builds;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The jsonb columns of a build, read and written whole as JSON text (the column side casts it to jsonb). */
public final class JsonColumns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonColumns() {
    }

    public static List<String> stringList(String json) {
        return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() { });
    }

    public static Map<String, String> stringMap(String json) {
        return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() { });
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
