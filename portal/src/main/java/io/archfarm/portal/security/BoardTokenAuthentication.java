package io.archfarm.portal.security;

import io.archfarm.portal.accounts.BoardViewer;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A wall screen signed in with a board token: role BOARD, which opens the board's pages and nothing else. */
final class BoardTokenAuthentication extends AbstractAuthenticationToken {

    static final String ROLE = "BOARD";

    private final transient BoardViewer viewer;

    BoardTokenAuthentication(BoardViewer viewer) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        this.viewer = viewer;
        setAuthenticated(true);
    }

    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return viewer;
    }

    @Override
    public String getName() {
        return "board token '" + viewer.name() + "'";
    }
}
