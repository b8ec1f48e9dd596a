package io.archfarm.portal.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with everything its RFC 9457 answer needs. Features throw it; {@link ProblemHandler}
 * turns it into {@code application/problem+json}. The detail always names the offending value.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties;

    private ApiProblem(HttpStatus status, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.properties = properties;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, Map.of());
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, Map.of("field", field));
    }

    /** Several fields are wrong at once: the detail lists them all, {@code errors} has one entry per field. */
    public static ApiProblem invalidFields(List<FieldProblem> problems) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (problems.size() == 1) {
            properties.put("field", problems.getFirst().field());
        }
        properties.put("errors", problems);
        String detail = String.join("; ", problems.stream().map(FieldProblem::detail).toList());
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, properties);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail, Map.of());
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, detail, Map.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail, Map.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail, Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** One wrong field of a request, by its JSON name. */
    public record FieldProblem(String field, String detail) {
    }
}
