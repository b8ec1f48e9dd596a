package io.archfarm.portal.security;

import io.archfarm.portal.accounts.ApiTokens;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/** Checks a bearer token against the stored hashes. */
final class TokenAuthenticationProvider implements AuthenticationProvider {

    private final ApiTokens tokens;

    TokenAuthenticationProvider(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        return TokenAuthentication.authenticated(tokens.authenticate(
                Objects.requireNonNull(((TokenAuthentication) authentication).token(), "an unauthenticated token")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return TokenAuthentication.class.isAssignableFrom(authentication);
    }
}
