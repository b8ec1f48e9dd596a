package io.archfarm.portal.dashboard;

import io.archfarm.portal.accounts.TeamRole;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who reads the board and which teams it shows.
 *
 * @param reader the person's user name, or the board token's name
 * @param person whether a person reads it (their session), rather than a wall screen (a board token): only a person
 *               gets links to other pages
 * @param teams  the teams shown; empty for every team (an admin, or a board token of every team)
 */
public record BoardScope(String reader, boolean person, Optional<List<TeamRole>> teams) {

    public Optional<Set<UUID>> teamIds() {
        return teams.map(list -> list.stream().map(TeamRole::teamId).collect(Collectors.toUnmodifiableSet()));
    }

    /** The team names, for the board's heading; empty for every team. */
    public String teamNames() {
        return teams.map(list -> list.stream().map(TeamRole::name).collect(Collectors.joining(", ")))
                .orElse("");
    }
}
