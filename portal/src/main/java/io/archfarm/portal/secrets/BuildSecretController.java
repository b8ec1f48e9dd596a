package io.archfarm.portal.secrets;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Build secrets of a project and of a team. Maintainers set, replace and delete them; every member reads the list of
 * ids (never a value), and people outside the team get 404 as for everything of a team they cannot see.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Build secrets", description = "secrets a RUN --mount=type=secret reads; values are never shown")
class BuildSecretController {

    private final Access access;
    private final BuildSecrets secrets;

    BuildSecretController(Access access, BuildSecrets secrets) {
        this.access = access;
        this.secrets = secrets;
    }

    @Operation(summary = "The secrets a project's builds get, by id (never a value)")
    @GetMapping("/projects/{team}/{project}/secrets")
    List<SecretView> projectSecrets(@PathVariable String team, @PathVariable String project) {
        Team owner = access.team(team, Role.VIEWER);
        return secrets.ofProject(owner.id(), secrets.projectId(owner.id(), owner.slug(), project));
    }

    @Operation(summary = "Set or replace a project secret (maintainer)")
    @ApiResponse(responseCode = "201", description = "new", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "replaced", useReturnTypeSchema = true)
    @PutMapping("/projects/{team}/{project}/secrets/{id}")
    ResponseEntity<SecretView> setProjectSecret(
            @PathVariable String team,
            @PathVariable String project,
            @PathVariable String id,
            @RequestBody(required = false) SecretBody body) {
        return stored(
                projectOwner(team, project), id, body, "/api/v1/projects/" + team + "/" + project + "/secrets/" + id);
    }

    @Operation(summary = "Delete a project secret (maintainer)")
    @ApiResponse(responseCode = "204", description = "deleted")
    @DeleteMapping("/projects/{team}/{project}/secrets/{id}")
    ResponseEntity<Void> deleteProjectSecret(
            @PathVariable String team, @PathVariable String project, @PathVariable String id) {
        secrets.delete(projectOwner(team, project), id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The team's secrets, by id (never a value)")
    @GetMapping("/teams/{team}/secrets")
    List<SecretView> teamSecrets(@PathVariable String team) {
        return secrets.ofTeam(access.team(team, Role.VIEWER).id());
    }

    @Operation(summary = "Set or replace a team secret, for every project of the team (maintainer)")
    @ApiResponse(responseCode = "201", description = "new", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "replaced", useReturnTypeSchema = true)
    @PutMapping("/teams/{team}/secrets/{id}")
    ResponseEntity<SecretView> setTeamSecret(
            @PathVariable String team, @PathVariable String id, @RequestBody(required = false) SecretBody body) {
        return stored(teamOwner(team), id, body, "/api/v1/teams/" + team + "/secrets/" + id);
    }

    @Operation(summary = "Delete a team secret (maintainer)")
    @ApiResponse(responseCode = "204", description = "deleted")
    @DeleteMapping("/teams/{team}/secrets/{id}")
    ResponseEntity<Void> deleteTeamSecret(@PathVariable String team, @PathVariable String id) {
        secrets.delete(teamOwner(team), id);
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<SecretView> stored(BuildSecrets.Owner owner, String id, SecretBody body, String location) {
        BuildSecrets.Stored stored = secrets.set(
                owner,
                id,
                body == null ? new SecretBody(null) : body,
                access.caller().username());
        return (stored.created() ? ResponseEntity.created(URI.create(location)) : ResponseEntity.ok())
                .header("Cache-Control", "no-store")
                .body(stored.secret());
    }

    /** The project's secrets, once the caller is known to see it (404 otherwise) and maintain it (403 otherwise). */
    private BuildSecrets.Owner projectOwner(String team, String project) {
        Team owner = access.team(team, Role.VIEWER);
        var projectId = secrets.projectId(owner.id(), owner.slug(), project);
        access.team(team, Role.MAINTAINER);
        return new BuildSecrets.Owner(owner.id(), projectId, "project '" + owner.slug() + "/" + project + "'");
    }

    private BuildSecrets.Owner teamOwner(String team) {
        Team owner = access.team(team, Role.MAINTAINER);
        return new BuildSecrets.Owner(owner.id(), null, "team '" + owner.slug() + "'");
    }
}
