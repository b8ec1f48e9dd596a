package io.archfarm.portal.builds;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.problems.ApiProblem;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Who may see or act on a build: a role in the build's team (admins anywhere). Someone outside the team gets the same
 * 404 as for a build that does not exist, on the API and on the pages.
 */
@Component
public class BuildAccess {

    private final BuildQueries queries;
    private final Access access;

    BuildAccess(BuildQueries queries, Access access) {
        this.queries = queries;
        this.access = access;
    }

    /** The build, if the caller has at least {@code needed} in its team. */
    public BuildView view(UUID id, Role needed) {
        require(id, needed);
        return queries.view(id).orElseThrow(() -> missing(id));
    }

    public void require(UUID id, Role needed) {
        Optional<UUID> team = queries.ownerOf(id).orElseThrow(() -> missing(id));
        access.require(team.orElse(null), needed, () -> "build " + id + " does not exist", "in the build's team");
    }

    /**
     * The team an ad-hoc build is for: one the caller develops in, or none at all, which only admins may ask for.
     *
     * @param teamSlug the team asked for, or null
     * @return the team's id, or null for an admin's build outside any team
     */
    public @Nullable UUID teamForNewBuild(@Nullable String teamSlug) {
        if (teamSlug != null && !teamSlug.isBlank()) {
            return access.team(teamSlug, Role.DEVELOPER).id();
        }
        if (!access.caller().admin()) {
            throw ApiProblem.badRequest(
                    "team",
                    "team is required: name the team the build is for (only admins " + "start builds outside a team)");
        }
        return null;
    }

    /** Whether the caller has {@code role} in the build's team, for showing or hiding actions. */
    public boolean allows(BuildView build, Role role) {
        try {
            require(build.id(), role);
            return true;
        } catch (ApiProblem refused) {
            return false;
        }
    }

    /** A path segment that must be a build id: anything else is as missing as an unknown build. */
    public static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("build " + id + " does not exist");
        }
    }

    private static ApiProblem missing(UUID id) {
        return ApiProblem.notFound("build " + id + " does not exist");
    }
}
