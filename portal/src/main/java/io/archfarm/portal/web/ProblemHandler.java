package io.archfarm.portal.web;

import io.archfarm.portal.problems.ApiProblem;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** The one place API errors become RFC 9457 problem details; each detail names the value that was wrong. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ResponseEntity<ProblemDetail> answer = answer(problem.status(), problem.getMessage(), problem.properties());
        if (problem.retryAfter() == null) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(TokenBuckets.retryAfterSeconds(problem.retryAfter())))
                .body(answer.getBody());
    }

    /** A query string or form whose percent-encoding is not UTF-8 (such as {@code %ff}): Tomcat cannot decode it. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameters(InvalidParameterException error) {
        return answer(HttpStatus.BAD_REQUEST, ApiProblemFilter.UNDECODABLE_PARAMETERS, Map.of());
    }

    /** The security firewall's lazy check of parameter names and values (names holding control characters). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejectedParameters(RequestRejectedException error) {
        return answer(
                HttpStatus.BAD_REQUEST,
                "a parameter name or value of the query string or form holds characters "
                        + "the portal refuses (control characters, line breaks)",
                Map.of());
    }

    /**
     * Two changes of one row at once: the one that lost saw a version that was no longer there. Nothing of it was
     * written; asking again reads the new state.
     */
    @ExceptionHandler({
        OptimisticLockingFailureException.class,
        CannotAcquireLockException.class,
        DuplicateKeyException.class
    })
    ResponseEntity<ProblemDetail> concurrentChange(Exception error) {
        return answer(
                HttpStatus.CONFLICT,
                "someone else changed this at the same time; nothing of this request was "
                        + "written: read it again and retry",
                Map.of());
    }

    /** Anything unforeseen: the client learns it was our fault, the log gets the details. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception error, WebRequest request) {
        LOG.error("unexpected error answering {}", request.getDescription(false), error);
        return answer(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "the portal failed to answer (details in the portal's log)",
                Map.of());
    }

    /**
     * Every answer of Spring MVC's own handlers (404, 405, 406, 415, ...) is a problem detail, whatever the request's
     * Accept header says: an answer whose type is set is not negotiated, so even {@code Accept: image/png} or an
     * unreadable Accept gets a readable error.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, body, problemHeaders, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = causeOf(ex, RequestTooLargeException.class);
        if (tooLarge != null) {
            return widen(answer(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), Map.of()));
        }
        UnrecognizedPropertyException unknown = causeOf(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = fieldPath(unknown);
            return widen(answer(
                    HttpStatus.BAD_REQUEST,
                    "unknown property '" + field + "'; known properties are " + known(unknown.getKnownPropertyIds()),
                    Map.of("field", field)));
        }
        InvalidFormatException invalid = causeOf(ex, InvalidFormatException.class);
        if (invalid != null && invalid.getValue() instanceof String text && TextWithoutNul.hasNul(text)) {
            String field = fieldPath(invalid);
            String detail = "property '" + field + "' contains a NUL character (\\u0000), which no text of the farm "
                    + "may hold";
            // shaped as the validators' answers are: field, and errors with one entry per field
            return widen(answer(
                    HttpStatus.BAD_REQUEST,
                    detail,
                    Map.of("field", field, "errors", List.of(new ApiProblem.FieldProblem(field, detail)))));
        }
        MismatchedInputException mismatch = causeOf(ex, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String field = fieldPath(mismatch);
            return widen(answer(
                    HttpStatus.BAD_REQUEST,
                    "property '" + field + "' has the wrong type: expected "
                            + JsonTypes.describe(mismatch.getTargetType()),
                    Map.of("field", field)));
        }
        if (causeOf(ex, InputCoercionException.class) != null) {
            return widen(answer(
                    HttpStatus.BAD_REQUEST,
                    "malformed JSON: a number is out of the range its property " + "takes",
                    Map.of()));
        }
        if (causeOf(ex, StreamConstraintsException.class) != null) {
            return widen(answer(
                    HttpStatus.BAD_REQUEST,
                    "the JSON body is nested too deeply or holds a value too long" + " to read",
                    Map.of()));
        }
        JacksonException json = causeOf(ex, StreamReadException.class);
        if (json == null) {
            json = causeOf(ex, JacksonException.class);
        }
        if (json != null) {
            return widen(answer(
                    HttpStatus.BAD_REQUEST, "malformed JSON: " + JsonTypes.plain(json.getOriginalMessage()), Map.of()));
        }
        return widen(answer(HttpStatus.BAD_REQUEST, "the request body could not be read as JSON", Map.of()));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        return widen(answer(
                HttpStatus.BAD_REQUEST,
                "'" + ex.getValue() + "' is not a valid " + name + " (expected "
                        + JsonTypes.describe(ex.getRequiredType()) + ")",
                Map.of("field", String.valueOf(name))));
    }

    private static ResponseEntity<ProblemDetail> answer(
            HttpStatus status, @Nullable String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> widen(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }

    private static String fieldPath(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String known(Collection<Object> ids) {
        return ids == null
                ? "(none)"
                : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static <T extends Throwable> @Nullable T causeOf(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
