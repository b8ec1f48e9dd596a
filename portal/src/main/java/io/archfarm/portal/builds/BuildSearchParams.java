package io.archfarm.portal.builds;

import io.swagger.v3.oas.annotations.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;

/**
 * A search of the build history as it arrives, on {@code GET /api/v1/builds} and on the builds page: every value
 * optional and still a string; {@link BuildHistory#search} checks each and names the one that is wrong.
 */
@ParameterObject
public record BuildSearchParams(
        @Parameter(description = "only this team's builds (its slug)")
        String team,

        @Parameter(description = "only this project's builds: TEAM/PROJECT", example = "web/site")
        String project,

        @Parameter(
                description = "a branch or tag name, or a full ref (refs/heads/main, refs/tags/v1)",
                example = "main")
        String ref,

        @Parameter(description = "a commit id or a prefix of it, at least 7 hex digits", example = "3f2a9c1")
        String commit,

        @Parameter(description = "QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED or CANCELLED")
        String status,

        @Parameter(description = "builds that build this platform", example = "linux/arm64")
        String platform,

        @Parameter(description = "how the build was started: API, UI or WEBHOOK")
        String trigger,

        @Parameter(description = "who started it (a user name; for a webhook build, as the build shows it)")
        String requestedBy,

        @Parameter(
                description = "accepted at or after: an ISO-8601 instant, or a date (UTC)",
                example = "2026-12-01T00:00:00Z")
        String since,

        @Parameter(
                description = "accepted before: an ISO-8601 instant, or a date (UTC; that whole day included)",
                example = "2026-12-07")
        String until,

        @Parameter(
                description = "builds that published this tag or index digest of an image: REG/REPO:TAG or "
                        + "REG/REPO@sha256:... (REG/REPO alone: every build pushing there)",
                example = "registry.example.com/web/site:1.4")
        String image,

        @Parameter(description = "where the previous page ended: the cursor of its Link rel=\"next\"")
        String cursor,

        @Parameter(description = "builds per page, 1..500", example = "50")
        String limit) {

    /** No filter at all: the newest builds of the scope. */
    public static BuildSearchParams none() {
        return of(Map.of());
    }

    /** A search from values by parameter name; a name that is not a parameter is refused. */
    public static BuildSearchParams of(Map<String, String> values) {
        RecordComponent[] components = BuildSearchParams.class.getRecordComponents();
        Set<String> unknown = new HashSet<>(values.keySet());
        @Nullable Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = values.get(components[i].getName());
            unknown.remove(components[i].getName());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not a search parameter: " + unknown);
        }
        try {
            return BuildSearchParams.class
                    .getDeclaredConstructor(Arrays.stream(components)
                            .map(RecordComponent::getType)
                            .toArray(Class<?>[]::new))
                    .newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values given, by parameter name, in the order of the record; blank ones are left out. */
    public Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        for (RecordComponent component : BuildSearchParams.class.getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(this);
                if (value instanceof String text && !text.isBlank()) {
                    given.put(component.getName(), text.strip());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return given;
    }

    /** This search from {@code cursor} on (null: from the newest), as a query string without '?'. */
    public String queryFrom(@Nullable String cursor) {
        Map<String, String> query = given();
        query.remove("cursor");
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The same search without a team: on the pages {@code ?team=} switches the team instead. */
    public BuildSearchParams withoutTeam() {
        return with("team", null);
    }

    /** The same search with one parameter set (null: taken away). */
    public BuildSearchParams with(String name, @Nullable String value) {
        Map<String, String> values = new HashMap<>(given());
        if (value == null) {
            values.remove(name);
        } else {
            values.put(name, value);
        }
        return of(values);
    }
}
