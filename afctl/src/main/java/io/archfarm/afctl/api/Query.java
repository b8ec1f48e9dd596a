package io.archfarm.afctl.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A path with its query string, each value percent-encoded; values that are null are left out. */
public final class Query {

    private final String path;
    private final List<String> parameters = new ArrayList<>();

    private Query(String path) {
        this.path = path;
    }

    public static Query path(String path) {
        return new Query(path);
    }

    public Query with(String name, @Nullable Object value) {
        if (value != null) {
            parameters.add(encode(name) + "=" + encode(value.toString()));
        }
        return this;
    }

    public Query withEach(String name, Iterable<?> values) {
        values.forEach(value -> with(name, value));
        return this;
    }

    /** A path segment of a URL, percent-encoded (a slash in a team's name stays inside its segment). */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return parameters.isEmpty() ? path : path + "?" + String.join("&", parameters);
    }
}
