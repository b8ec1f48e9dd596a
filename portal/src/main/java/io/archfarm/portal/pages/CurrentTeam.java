package io.archfarm.portal.pages;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.TeamRole;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The team a signed-in person is looking at: the one they last switched to (kept in their session), else their first
 * team. Someone in several teams switches with {@code ?team=<slug>} on any page.
 */
@Component
public class CurrentTeam {

    static final String SESSION_KEY = "archfarm.team";

    private final Access access;

    CurrentTeam(Access access) {
        this.access = access;
    }

    /** The current team, switching to {@code requested} when the caller is in it; empty for someone in no team. */
    public Optional<TeamRole> resolve(HttpSession session, @Nullable String requested) {
        List<TeamRole> teams = access.teams();
        if (requested != null && !requested.isBlank()) {
            Optional<TeamRole> chosen = bySlug(teams, requested);
            chosen.ifPresent(team -> session.setAttribute(SESSION_KEY, team.slug()));
            if (chosen.isPresent()) {
                return chosen;
            }
        }
        Object remembered = session.getAttribute(SESSION_KEY);
        return (remembered instanceof String slug ? bySlug(teams, slug) : Optional.<TeamRole>empty())
                .or(() -> teams.stream().findFirst());
    }

    private static Optional<TeamRole> bySlug(List<TeamRole> teams, String slug) {
        return teams.stream().filter(team -> team.slug().equals(slug)).findFirst();
    }
}
