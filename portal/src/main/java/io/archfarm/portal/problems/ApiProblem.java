package io.archfarm.portal.problems;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with everything its RFC 9457 answer needs. Features throw it; web's ProblemHandler
 * turns it into {@code application/problem+json}. The detail always names the offending value.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties;
    private final transient @Nullable Duration retryAfter;

    private ApiProblem(HttpStatus status, @Nullable String detail, Map<String, Object> properties) {
        this(status, detail, properties, null);
    }

    private ApiProblem(
            HttpStatus status, @Nullable String detail, Map<String, Object> properties, @Nullable Duration retryAfter) {
        super(detail);
        this.status = status;
        this.properties = properties;
        this.retryAfter = retryAfter;
    }

    public static ApiProblem badRequest(@Nullable String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, Map.of());
    }

    public static ApiProblem badRequest(String field, @Nullable String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, Map.of("field", field));
    }

    /** Several fields are wrong at once: the detail lists them all, {@code errors} has one entry per field. */
    public static ApiProblem invalidFields(List<FieldProblem> problems) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (problems.size() == 1) {
            properties.put("field", problems.getFirst().field());
        }
        properties.put("errors", problems);
        String detail =
                String.join("; ", problems.stream().map(FieldProblem::detail).toList());
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, properties);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail, Map.of());
    }

    public static ApiProblem unauthorized(@Nullable String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, detail, Map.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail, Map.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail, Map.of());
    }

    /** 429: the caller may try again after {@code retryAfter} (sent as {@code Retry-After}, whole seconds). */
    public static ApiProblem tooManyRequests(String detail, Duration retryAfter) {
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, detail, Map.of(), retryAfter);
    }

    /** How long the caller should wait before asking again, or null. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** One wrong field of a request, by its JSON name. */
    public record FieldProblem(String field, @Nullable String detail) {}
}
