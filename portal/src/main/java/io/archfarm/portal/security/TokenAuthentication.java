package io.archfarm.portal.security;

import io.archfarm.portal.accounts.Caller;
import io.archfarm.portal.accounts.CallerPrincipal;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A bearer token: first as it arrives (unauthenticated), then with the caller it stands for. */
final class TokenAuthentication extends AbstractAuthenticationToken {

    private final transient @Nullable String token;
    private final @Nullable Principal principal;

    private TokenAuthentication(@Nullable String token, @Nullable Principal principal) {
        super(
                principal == null
                        ? List.of()
                        : List.of(new SimpleGrantedAuthority(principal.caller().admin() ? "ROLE_ADMIN" : "ROLE_USER")));
        this.token = token;
        this.principal = principal;
        setAuthenticated(principal != null);
    }

    static TokenAuthentication unauthenticated(String token) {
        return new TokenAuthentication(token, null);
    }

    static TokenAuthentication authenticated(Caller caller) {
        return new TokenAuthentication(null, new Principal(caller));
    }

    @Nullable
    String token() {
        return token;
    }

    @Override
    public @Nullable Object getCredentials() {
        return token;
    }

    @Override
    public @Nullable Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal.caller().username();
    }

    record Principal(Caller caller) implements CallerPrincipal, Serializable {}
}
