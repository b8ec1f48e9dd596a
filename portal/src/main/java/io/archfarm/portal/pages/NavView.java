package io.archfarm.portal.pages;

import io.archfarm.portal.accounts.TeamRole;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What every page's header shows: who is signed in, their teams and the one they are looking at. */
public record NavView(
        String username,
        boolean admin,
        List<TeamView> teams,
        @Nullable TeamView currentTeam) {

    public record TeamView(String slug, String name, String role) {

        static TeamView of(TeamRole team) {
            return new TeamView(team.slug(), team.name(), team.role().wireName());
        }
    }

    public boolean switchable() {
        return teams.size() > 1;
    }
}
