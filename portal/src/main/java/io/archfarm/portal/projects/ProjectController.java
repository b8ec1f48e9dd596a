package io.archfarm.portal.projects;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.builds.BuildOrigin;
import io.archfarm.portal.builds.BuildQueries;
import io.archfarm.portal.builds.BuildQueries.BuildFilter;
import io.archfarm.portal.builds.BuildView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Projects and their builds. Viewers read, developers start builds, maintainers change projects and handle their
 * webhook secrets; people outside the team get 404 for everything, as if the project did not exist.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Projects", description = "repositories built with their own settings, by hand or on every push")
class ProjectController {

    private final Access access;
    private final Projects projects;
    private final ProjectBuilds builds;
    private final BuildQueries queries;
    private final WebhookDeliveries deliveries;

    ProjectController(
            Access access,
            Projects projects,
            ProjectBuilds builds,
            BuildQueries queries,
            WebhookDeliveries deliveries) {
        this.access = access;
        this.projects = projects;
        this.builds = builds;
        this.queries = queries;
        this.deliveries = deliveries;
    }

    @Operation(summary = "Create a project (maintainer); the answer carries its webhook secret and URLs")
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true)
    @PostMapping("/teams/{team}/projects")
    ResponseEntity<ProjectView> create(@PathVariable String team, @RequestBody(required = false) ProjectBody body) {
        Team owner = access.team(team, Role.MAINTAINER);
        ProjectView created = projects.create(owner, body);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + owner.slug() + "/" + created.slug()))
                .header("Cache-Control", "no-store")
                .body(created);
    }

    @Operation(summary = "A team's projects")
    @GetMapping("/teams/{team}/projects")
    List<ProjectView> list(@PathVariable String team) {
        return projects.list(access.team(team, Role.VIEWER));
    }

    @Operation(summary = "One project (never a secret)")
    @GetMapping("/projects/{team}/{project}")
    ProjectView get(@PathVariable String team, @PathVariable String project) {
        return projects.get(access.team(team, Role.VIEWER), project);
    }

    @Operation(summary = "Replace every setting of a project (maintainer)")
    @PutMapping("/projects/{team}/{project}")
    ProjectView update(
            @PathVariable String team, @PathVariable String project, @RequestBody(required = false) ProjectBody body) {
        return projects.update(maintained(team, project), project, body);
    }

    @Operation(summary = "Delete a project; its builds stay (maintainer)")
    @ApiResponse(responseCode = "204", description = "deleted")
    @DeleteMapping("/projects/{team}/{project}")
    ResponseEntity<Void> delete(@PathVariable String team, @PathVariable String project) {
        projects.delete(maintained(team, project), project);
        return ResponseEntity.noContent().build();
    }

    /** Stores the credential (a robot account) for the registry of the project's image; never shown again. */
    @Operation(summary = "Set the credential for the registry of the project's image (maintainer)")
    @PutMapping("/projects/{team}/{project}/registry-credential")
    ProjectView setRegistryCredential(
            @PathVariable String team,
            @PathVariable String project,
            @RequestBody(required = false) RegistryCredentialBody body) {
        return projects.setRegistryCredential(maintained(team, project), project, body);
    }

    @Operation(summary = "Remove the project's registry credential (maintainer)")
    @DeleteMapping("/projects/{team}/{project}/registry-credential")
    ProjectView removeRegistryCredential(@PathVariable String team, @PathVariable String project) {
        return projects.removeRegistryCredential(maintained(team, project), project);
    }

    /** Replaces the webhook secret; the new one is in this answer (and readable by maintainers afterwards). */
    @Operation(summary = "Rotate the webhook secret; the new one is in the answer (maintainer)")
    @PostMapping("/projects/{team}/{project}/webhook-secret")
    ResponseEntity<Secret> rotateSecret(@PathVariable String team, @PathVariable String project) {
        String secret = projects.rotateWebhookSecret(maintained(team, project), project);
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(new Secret(secret));
    }

    @Operation(summary = "Reveal the webhook secret (maintainer)")
    @GetMapping("/projects/{team}/{project}/webhook-secret")
    ResponseEntity<Secret> revealSecret(@PathVariable String team, @PathVariable String project) {
        String secret = projects.webhookSecret(maintained(team, project), project);
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(new Secret(secret));
    }

    @Operation(summary = "The project's webhook deliveries, newest first, with what came of each (maintainer)")
    @GetMapping("/projects/{team}/{project}/deliveries")
    List<WebhookDeliveries.DeliveryView> deliveries(
            @PathVariable String team, @PathVariable String project, @RequestParam(defaultValue = "100") int limit) {
        Team owner = maintained(team, project);
        return deliveries.newestFirst(projects.find(owner, project).id(), BuildQueries.limitParam(limit));
    }

    @Operation(summary = "Build the project (developer): its settings, the next number, templated tags")
    @ApiResponse(
            responseCode = "202",
            description = "accepted; Location: /api/v1/builds/{id}",
            useReturnTypeSchema = true)
    @PostMapping("/projects/{team}/{project}/builds")
    ResponseEntity<BuildView> build(
            @PathVariable String team,
            @PathVariable String project,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            description = "every field optional: the "
                                    + "project's own settings stand in for what is left out",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            examples = {
                                                @ExampleObject(name = "the default branch", value = "{}"),
                                                @ExampleObject(name = "a tag, again without cache", value = """
                                    {"ref": "v1.4.0", "noCache": true}"""),
                                                @ExampleObject(name = "a branch, one platform, own tags", value = """
                                    {"ref": "release/1.4", "platforms": ["linux/arm64"],
                                     "tags": ["1.4-arm64-test"]}""")
                                            }))
                    @RequestBody(required = false)
                    ProjectBuilds.ProjectBuildBody body) {
        Team owner = access.team(team, Role.VIEWER);
        Project found = projects.find(owner, project);
        access.team(team, Role.DEVELOPER);
        UUID id = builds.startByHand(
                found, body, BuildOrigin.Trigger.API, access.caller().username());
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/builds/" + id))
                .body(queries.view(id).orElseThrow());
    }

    @Operation(summary = "The project's builds, newest first (the whole history: GET /api/v1/builds?project=)")
    @GetMapping("/projects/{team}/{project}/builds")
    List<BuildView> builds(
            @PathVariable String team,
            @PathVariable String project,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit) {
        Team owner = access.team(team, Role.VIEWER);
        Project found = projects.find(owner, project);
        return queries.recent(new BuildFilter(
                BuildQueries.statusParam(status),
                Optional.of(Set.of(owner.id())),
                found.id(),
                BuildQueries.limitParam(limit)));
    }

    /** The team, once the caller is known to see the project (404 otherwise) and to maintain it (403 otherwise). */
    private Team maintained(String team, String project) {
        Team owner = access.team(team, Role.VIEWER);
        projects.find(owner, project);
        return access.team(team, Role.MAINTAINER);
    }

    record Secret(String secret) {}
}
