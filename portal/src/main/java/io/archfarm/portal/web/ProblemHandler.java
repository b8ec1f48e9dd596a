package io.archfarm.portal.web;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
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
                .header(HttpHeaders.RETRY_AFTER, Long.toString(TokenBuckets.retryAfterSeconds(problem.retryAfter())))
                .body(answer.getBody());
    }

    /** Anything unforeseen: the client learns it was our fault, the log gets the details. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception error, WebRequest request) {
        LOG.error("unexpected error answering {}", request.getDescription(false), error);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "the portal failed to answer: " + error.getClass()
                .getSimpleName() + " (details in the portal's log)", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = causeOf(ex, RequestTooLargeException.class);
        if (tooLarge != null) {
            return widen(answer(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), Map.of()));
        }
        UnrecognizedPropertyException unknown = causeOf(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = fieldPath(unknown);
            return widen(answer(HttpStatus.BAD_REQUEST, "unknown property '" + field + "'; known properties are "
                    + known(unknown.getKnownPropertyIds()), Map.of("field", field)));
        }
        MismatchedInputException mismatch = causeOf(ex, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String field = fieldPath(mismatch);
            return widen(answer(HttpStatus.BAD_REQUEST, "property '" + field + "' has the wrong type: "
                    + mismatch.getOriginalMessage(), Map.of("field", field)));
        }
        JacksonException json = causeOf(ex, StreamReadException.class);
        if (json == null) {
            json = causeOf(ex, JacksonException.class);
        }
        if (json != null) {
            return widen(answer(HttpStatus.BAD_REQUEST, "malformed JSON: " + json.getOriginalMessage(), Map.of()));
        }
        return widen(answer(HttpStatus.BAD_REQUEST, "unreadable request body: " + ex.getMostSpecificCause()
                .getMessage(), Map.of()));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "another type" : ex.getRequiredType().getSimpleName();
        return widen(answer(HttpStatus.BAD_REQUEST, "'" + ex.getValue() + "' is not a valid " + name + " (expected "
                + expected + ")", Map.of("field", String.valueOf(name))));
    }

    private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String detail,
            Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(status).body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> widen(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }

    private static String fieldPath(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "(none)" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
