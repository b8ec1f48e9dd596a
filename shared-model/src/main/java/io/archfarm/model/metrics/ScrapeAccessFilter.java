package io.archfarm.model.metrics;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@link ScrapeAccess} in front of a part's HTTP port: a request for a guarded actuator endpoint from a scraper it does not
 * let in gets 401 with a Bearer challenge and a one-line reason, and nothing of the endpoint. Every other request
 * passes untouched. The portal, the scheduler and the workers register it ahead of anything else.
 */
public final class ScrapeAccessFilter implements Filter {

    private final ScrapeAccess access;

    public ScrapeAccessFilter(ScrapeAccess access) {
        this.access = access;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer
                && ScrapeAccess.guards(path(http))
                && !access.allows(http.getRemoteAddr(), http.getHeader("Authorization"))) {
            answer.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            answer.setHeader("WWW-Authenticate", ScrapeAccess.CHALLENGE);
            answer.setContentType("text/plain;charset=UTF-8");
            answer.getWriter()
                    .println(path(http) + " answers a scraper on this host, or one that sends"
                            + " the farm's scrape token (archfarm.metrics.scrape-token) as a Bearer token");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The path as the container decoded and normalised it, which is what the endpoints are matched against. */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }
}
