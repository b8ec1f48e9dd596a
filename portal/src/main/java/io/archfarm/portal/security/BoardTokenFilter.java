package io.archfarm.portal.security;

import io.archfarm.portal.accounts.BoardTokens;
import io.archfarm.portal.accounts.BoardViewer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signs a wall screen in on the board's pages, and there alone: a request under {@code /board} that carries no
 * signed-in person but the board cookie is read as the token's {@link BoardViewer}, for this request only. Nothing
 * goes into a session, so a revoked token stops at the screen's next refresh; the cookie is not read anywhere else
 * (the browser does not even send it there). A refused token is left for {@link PageEntryPoint} to explain.
 */
final class BoardTokenFilter extends OncePerRequestFilter {

    /** Request attribute: why the board cookie was refused. */
    static final String REFUSED = BoardTokenFilter.class.getName() + ".refused";

    private static final Logger LOG = LoggerFactory.getLogger(BoardTokenFilter.class);
    private static final RequestMatcher BOARD =
            PathPatternRequestMatcher.withDefaults().matcher("/board/**");
    private static final RequestMatcher BOARD_PAGE =
            PathPatternRequestMatcher.withDefaults().matcher("/board");

    private final BoardTokens tokens;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    BoardTokenFilter(BoardTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !BOARD.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = BoardCookie.read(request);
        if (token.isPresent() && !signedIn(holder.getContext().getAuthentication())) {
            try {
                SecurityContext context = holder.createEmptyContext();
                context.setAuthentication(new BoardTokenAuthentication(tokens.authenticate(token.get())));
                holder.setContext(context);
                if (BOARD_PAGE.matches(request)) {
                    BoardCookie.write(request, response, token.get()); // a screen that keeps watching keeps its cookie
                }
            } catch (AuthenticationException refused) {
                LOG.info("a wall screen's board cookie was refused: {}", refused.getMessage());
                request.setAttribute(REFUSED, refused.getMessage());
            }
        }
        chain.doFilter(request, response);
    }

    /** A person's session wins over a board cookie in the same browser. */
    private static boolean signedIn(@Nullable Authentication authentication) {
        return authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }
}
