package io.archfarm.portal.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The cookie a wall screen keeps its board token in. The browser sends it only to the board's pages
 * ({@code Path=/board}), never to a script ({@code HttpOnly}), and over TLS only when the board was signed in over
 * TLS ({@code Secure}). It outlives sessions and portal restarts: the token is checked against the database on every
 * request, so revoking it takes effect at the screen's next refresh.
 */
final class BoardCookie {

    static final String NAME = "ARCHFARM_BOARD";
    static final String PATH = "/board";

    /** The longest a browser keeps a cookie (Chromium caps it at 400 days); every full board page renews it. */
    static final Duration MAX_AGE = Duration.ofDays(400);

    private BoardCookie() {}

    static Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        return cookies == null
                ? Optional.empty()
                : Arrays.stream(cookies)
                        .filter(cookie -> NAME.equals(cookie.getName())
                                && !cookie.getValue().isBlank())
                        .map(Cookie::getValue)
                        .findFirst();
    }

    static void write(HttpServletRequest request, HttpServletResponse response, String token) {
        set(request, response, token, MAX_AGE);
    }

    static void clear(HttpServletRequest request, HttpServletResponse response) {
        set(request, response, "", Duration.ZERO);
    }

    private static void set(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
        ResponseCookie cookie = ResponseCookie.from(NAME, value)
                .path(request.getContextPath() + PATH)
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite("Lax")
                .maxAge(maxAge)
                .build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }
}
