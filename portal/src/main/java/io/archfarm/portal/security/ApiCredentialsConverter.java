package io.archfarm.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Reads the credentials of an API call: {@code Authorization: Bearer <token>} everywhere, and HTTP Basic only on
 * {@code POST /api/v1/tokens} (a password anywhere else would make every script hold one).
 */
final class ApiCredentialsConverter implements AuthenticationConverter {

    static final String TOKENS_PATH = "/api/v1/tokens";

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return null;
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (value.isEmpty()) {
                throw new BadCredentialsException("the Authorization header has an empty bearer token");
            }
            return TokenAuthentication.unauthenticated(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            if (!"POST".equals(request.getMethod()) || !TOKENS_PATH.equals(request.getRequestURI())) {
                throw new BadCredentialsException("HTTP Basic is accepted only by POST " + TOKENS_PATH
                        + " (to create a token); call the API with Authorization: Bearer <token>");
            }
            Authentication basic = basic(value);
            ((UsernamePasswordAuthenticationToken) basic).setDetails(new WebAuthenticationDetails(request));
            return basic;
        }
        throw new BadCredentialsException("unsupported Authorization scheme '" + scheme + "': use Bearer <token>");
    }

    private static Authentication basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadCredentialsException("the HTTP Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new BadCredentialsException("the HTTP Basic credentials are not username:password");
        }
        return UsernamePasswordAuthenticationToken.unauthenticated(
                decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
