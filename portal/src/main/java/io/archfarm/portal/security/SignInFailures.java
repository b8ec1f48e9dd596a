package io.archfarm.portal.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * A failed form sign-in: a wrong password goes back to the form with {@code ?error}; a throttled one is answered
 * 429 with {@code Retry-After} and the form saying how long to wait (rendered at {@code /login/throttled}, a path
 * the form's own processing does not match, so the forward is not taken for another sign-in).
 */
final class SignInFailures implements AuthenticationFailureHandler {

    /** The request attribute {@code LoginPage} reads: seconds until the next attempt is taken. */
    static final String RETRY_AFTER_ATTRIBUTE = "archfarm.signInRetryAfter";

    static final String THROTTLED_PATH = "/login/throttled";

    private final AuthenticationFailureHandler wrongPassword =
            new SimpleUrlAuthenticationFailureHandler("/login?error");

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        if (e instanceof SignInThrottledException throttled) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
            request.setAttribute(RETRY_AFTER_ATTRIBUTE, throttled.retryAfterSeconds());
            request.getRequestDispatcher(THROTTLED_PATH).forward(request, response);
            return;
        }
        wrongPassword.onAuthenticationFailure(request, response, e);
    }
}
