package io.archfarm.portal.pages;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Caller;
import io.archfarm.portal.accounts.CallerPrincipal;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the header's model ({@code nav}) on every page; a request with {@code ?team=} switches the current team. */
@ControllerAdvice(annotations = UiController.class)
class PageModel {

    private final Access access;
    private final CurrentTeam currentTeam;

    PageModel(Access access, CurrentTeam currentTeam) {
        this.access = access;
        this.currentTeam = currentTeam;
    }

    @ModelAttribute("nav")
    @Nullable
    NavView nav(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()
                || !(authentication.getPrincipal() instanceof CallerPrincipal)) {
            return null; // nobody, or a wall screen with a board token: no header
        }
        Caller caller = access.caller();
        var current = currentTeam
                .resolve(request.getSession(), request.getParameter("team"))
                .map(NavView.TeamView::of)
                .orElse(null);
        return new NavView(
                caller.username(),
                caller.admin(),
                access.teams().stream().map(NavView.TeamView::of).toList(),
                current);
    }
}
