package io.archfarm.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outermost door of the API and the webhooks: whatever goes wrong before or around Spring MVC (the security
 * firewall refusing a path, a container error, a query string Tomcat cannot decode) is answered as
 * {@code application/problem+json} here, instead of an HTML or empty error page. It also refuses a wildcard
 * Content-Type ({@code *}{@code /*}, {@code application/*}), which names no format a body could be read in.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblemFilter extends OncePerRequestFilter {

    static final String UNDECODABLE_PARAMETERS = "the query string or form is not percent-encoded UTF-8 (such as %ff)"
            + ": encode every non-ASCII character as UTF-8";

    private static final Logger LOG = LoggerFactory.getLogger(ApiProblemFilter.class);

    private final JsonMapper json;

    ApiProblemFilter(JsonMapper json) {
        this.json = json;
    }

    /** The raw request URI, before decoding: the API's errors go to programs, the pages' to people. */
    static boolean answersWithProblems(String rawUri) {
        return rawUri != null && (rawUri.startsWith("/api/") || rawUri.equals("/api") || rawUri.startsWith("/hooks/"));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !answersWithProblems(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String wildcard = wildcardContentType(request.getContentType());
        if (wildcard != null) {
            write(
                    response,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + wildcard + "' is a pattern, not a "
                            + "format: send the body as application/json");
            return;
        }
        ProblemOnSendError problems = new ProblemOnSendError(response);
        try {
            chain.doFilter(request, problems);
        } catch (InvalidParameterException e) {
            answerUnlessCommitted(response, HttpStatus.BAD_REQUEST, UNDECODABLE_PARAMETERS);
        } catch (RuntimeException | ServletException e) {
            if (rootCause(e) instanceof InvalidParameterException) {
                answerUnlessCommitted(response, HttpStatus.BAD_REQUEST, UNDECODABLE_PARAMETERS);
                return;
            }
            LOG.error("unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
            answerUnlessCommitted(
                    response,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "the portal failed to answer (details in the portal's log)");
        }
    }

    private static @Nullable String wildcardContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype() ? contentType : null;
        } catch (InvalidMediaTypeException e) {
            return null; // Spring MVC answers an unreadable Content-Type with 415 itself
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void answerUnlessCommitted(HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        if (!response.isCommitted()) {
            response.reset();
            write(response, status, detail);
        }
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(status, detail));
    }

    /** What the container would say for a status, in words for the API's callers. */
    static String detailFor(int status) {
        return switch (status) {
            case 400 ->
                "the request cannot be read: its path or query string holds something the portal refuses "
                        + "(a percent-encoding that is not UTF-8, an encoded slash or percent, '//', '..', a NUL)";
            case 401 -> "this API needs Authorization: Bearer <token>";
            case 403 -> "not allowed";
            case 404 -> "there is no such API resource";
            case 405 -> "this resource does not take that method";
            case 406 ->
                "this resource answers only in JSON (or as the resource says); ask with Accept: " + "application/json";
            case 413 -> "the request is too large";
            case 415 -> "send the body as application/json";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "the request failed" : known.getReasonPhrase();
            }
        };
    }

    /** Turns the container's error pages ({@code sendError}) into problem details. */
    private final class ProblemOnSendError extends HttpServletResponseWrapper {

        ProblemOnSendError(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, @Nullable String message) throws IOException {
            if (isCommitted()) {
                super.sendError(status, message);
                return;
            }
            resetBuffer();
            HttpStatus known = HttpStatus.resolve(status);
            if (known == null) {
                super.sendError(status, message);
                return;
            }
            write((HttpServletResponse) getResponse(), known, detailFor(status));
            flushBuffer();
        }
    }
}
