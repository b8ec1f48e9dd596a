package io.archfarm.portal.dashboard;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.BoardViewer;
import io.archfarm.portal.accounts.Caller;
import io.archfarm.portal.web.UiController;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The wall board ({@code /board}): every team the reader may see on one dark screen in large type. Running and
 * queued builds with a chip per platform, the queue per platform and queue, and the fleet. The reader is a person
 * (an admin sees every team, others their own) or a wall screen signed in with a board token (the token's teams).
 * Each panel refreshes itself ({@code GET /board/<panel>}, htmx) and costs the same queries whatever the number of
 * teams: the teams are one list in each query, never a query per team. Nothing on it writes or reveals a secret.
 */
@UiController
class BoardPage {

    private static final int ACTIVE = 30;
    private static final int REFRESH_WITHOUT_SCRIPT_SECONDS = 30;

    private final Access access;
    private final ActiveBuilds activeBuilds;
    private final DashboardQueries live;
    private final Clock clock;

    BoardPage(Access access, ActiveBuilds activeBuilds, DashboardQueries live, Clock clock) {
        this.access = access;
        this.activeBuilds = activeBuilds;
        this.live = live;
        this.clock = clock;
    }

    @GetMapping("/board")
    String board(Model model) {
        BoardScope scope = scope(model);
        active(scope, model);
        queue(scope, model);
        fleet(model);
        model.addAttribute("darkTheme", true);
        model.addAttribute("refreshWithoutScript", REFRESH_WITHOUT_SCRIPT_SECONDS);
        return "board/page";
    }

    @GetMapping("/board/active")
    String activePanel(Model model) {
        active(scope(model), model);
        return "board/panels :: active";
    }

    @GetMapping("/board/queue")
    String queuePanel(Model model) {
        queue(scope(model), model);
        return "board/panels :: queue";
    }

    @GetMapping("/board/fleet")
    String fleetPanel(Model model) {
        scope(model);
        fleet(model);
        return "board/panels :: fleet";
    }

    private BoardScope scope(Model model) {
        BoardScope scope;
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (signedIn != null && signedIn.getPrincipal() instanceof BoardViewer viewer) {
            scope = new BoardScope(viewer.name(), false, viewer.teams());
        } else {
            Caller caller = access.caller();
            scope = new BoardScope(
                    caller.username(), true, caller.admin() ? Optional.empty() : Optional.of(access.teams()));
        }
        model.addAttribute("scope", scope);
        return scope;
    }

    private void active(BoardScope scope, Model model) {
        model.addAttribute("active", activeBuilds.of(scope.teamIds(), ACTIVE));
        model.addAttribute("counts", live.activeCounts(scope.teamIds()));
        model.addAttribute("updatedAt", clock.instant());
    }

    private void queue(BoardScope scope, Model model) {
        model.addAttribute("queue", live.queueDepth(scope.teamIds()));
    }

    private void fleet(Model model) {
        model.addAttribute("workers", live.workers());
    }
}
