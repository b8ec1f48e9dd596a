package io.archfarm.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.regex.Pattern;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Where the API finds who is calling besides a bearer token: nowhere, except that a build's event stream
 * ({@code GET /api/v1/builds/{id}/events}) also takes the signed-in session of the pages, so that a browser can follow
 * a build like a script does. That route only reads, which is why a session (with no CSRF token, which a GET does not
 * carry) may be trusted there and nowhere else in the API. The session is read, never created or written.
 */
final class EventStreamSessions implements SecurityContextRepository {

    private static final Pattern EVENTS = Pattern.compile("/api/v1/builds/[^/]+/events");

    private final SecurityContextRepository perRequest = new RequestAttributeSecurityContextRepository();
    private final HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    static boolean readsSession(HttpServletRequest request) {
        return "GET".equals(request.getMethod())
                && EVENTS.matcher(request.getRequestURI()).matches();
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return readsSession(request) && request.getSession(false) != null
                ? sessions.loadDeferredContext(request)
                : perRequest.loadDeferredContext(request);
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still requires it; loadDeferredContext is what filters call
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return loadDeferredContext(holder.getRequest()).get();
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        perRequest.saveContext(context, request, response);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return perRequest.containsContext(request)
                || (readsSession(request) && request.getSession(false) != null && sessions.containsContext(request));
    }
}
