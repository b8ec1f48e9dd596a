package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Every check of what the caller may see and do. Something the caller may not see does not exist for them (404,
 * the same answer as for something that really does not exist); something they see but may not change is a 403.
 */
@Service
public class Access {

    private final TeamRepository teams;
    private final MembershipRepository memberships;

    Access(TeamRepository teams, MembershipRepository memberships) {
        this.teams = teams;
        this.memberships = memberships;
    }

    /** The signed-in caller; every route but the webhooks, the sign-in page and health requires one. */
    public Caller caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof CallerPrincipal principal) {
            return principal.caller();
        }
        throw new IllegalStateException("no signed-in caller on a route that requires one");
    }

    /** The caller's teams with their roles; an admin's list holds every team, as maintainer. */
    public List<TeamRole> teams() {
        Caller caller = caller();
        if (caller.admin()) {
            return teams.findAllByOrderBySlug().stream()
                    .map(t -> new TeamRole(t.id(), t.slug(), t.name(), Role.MAINTAINER))
                    .toList();
        }
        return memberships.teamsOf(caller.userId());
    }

    /** The team the caller may act in with at least {@code needed}; 404 if they cannot see it, 403 if they can. */
    public Team team(String slug, Role needed) {
        Team team = teams.findBySlug(slug == null ? "" : slug)
                .orElseThrow(() -> ApiProblem.notFound("team '" + slug + "' does not exist"));
        require(team.id(), needed, () -> "team '" + slug + "' does not exist", "in team '" + slug + "'");
        return team;
    }

    /**
     * Checks the caller's role in the team owning something.
     *
     * @param teamId   the owning team, or null for things only admins own (ad-hoc builds outside any team)
     * @param notFound the detail of the 404 a caller without any role in the team gets
     * @param where    how the 403 names the place, e.g. "in team 'web'"
     */
    public void require(@Nullable UUID teamId, Role needed, Supplier<String> notFound, String where) {
        Caller caller = caller();
        if (caller.admin()) {
            return;
        }
        Optional<Role> role = teamId == null ? Optional.empty() : roleIn(caller, teamId);
        if (role.isEmpty()) {
            throw ApiProblem.notFound(notFound.get());
        }
        if (!role.get().includes(needed)) {
            throw ApiProblem.forbidden(caller.username() + " is a " + role.get().wireName() + " " + where
                    + "; this needs " + needed.wireName() + " or more");
        }
    }

    /** Whether the caller can see things owned by {@code teamId} (null: admin-only things). */
    public boolean canSee(UUID teamId) {
        Caller caller = caller();
        return caller.admin() || (teamId != null && roleIn(caller, teamId).isPresent());
    }

    /** The teams whose things the caller sees; empty means every team (the caller is an admin). */
    public Optional<Set<UUID>> visibleTeamIds() {
        Caller caller = caller();
        if (caller.admin()) {
            return Optional.empty();
        }
        return Optional.of(memberships.teamsOf(caller.userId()).stream()
                .map(TeamRole::teamId)
                .collect(Collectors.toUnmodifiableSet()));
    }

    public void requireAdmin(String action) {
        Caller caller = caller();
        if (!caller.admin()) {
            throw ApiProblem.forbidden("only an admin may " + action + "; " + caller.username() + " is not an admin");
        }
    }

    private Optional<Role> roleIn(Caller caller, UUID teamId) {
        return memberships.findById(new Membership.Key(teamId, caller.userId())).map(Membership::role);
    }
}
