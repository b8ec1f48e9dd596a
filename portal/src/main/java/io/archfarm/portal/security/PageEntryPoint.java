package io.archfarm.portal.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * Where a page request goes when nobody is signed in (the session ended, or was never there).
 *
 * <p>A request a page's own script makes (htmx sends {@code HX-Request: true}; the build page's EventSource asks for
 * {@code text/event-stream}) gets 401 with {@code HX-Refresh: true}: htmx then reloads the whole page, and that
 * navigation comes here again and goes to a sign-in page. Redirecting the script instead would have it follow the
 * redirect and swap the sign-in form into a panel. A navigation goes to the board's sign-in page when it brought a
 * board cookie that was refused (a revoked or expired token: the screen needs a new one), else to {@code /login}.
 */
final class PageEntryPoint implements AuthenticationEntryPoint {

    static final String HX_REQUEST = "HX-Request";
    static final String HX_REFRESH = "HX-Refresh";

    private final AuthenticationEntryPoint signIn = new LoginUrlAuthenticationEntryPoint("/login");

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        if (fromScript(request)) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader(HX_REFRESH, "true");
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8);
            response.getWriter()
                    .write("not signed in (the session ended, or the board token no longer works):"
                            + " reload the page to sign in\n");
            return;
        }
        if (request.getAttribute(BoardTokenFilter.REFUSED) != null) {
            BoardCookie.clear(request, response);
            response.sendRedirect(request.getContextPath() + BoardSignInPage.PATH + "?ended");
            return;
        }
        signIn.commence(request, response, e);
    }

    static boolean fromScript(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return "true".equalsIgnoreCase(request.getHeader(HX_REQUEST))
                || (accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE));
    }
}
