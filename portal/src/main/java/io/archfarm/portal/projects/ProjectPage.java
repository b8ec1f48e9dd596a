package io.archfarm.portal.projects;

import io.archfarm.model.ImageReference;
import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.accounts.TeamRole;
import io.archfarm.portal.builds.BuildOrigin;
import io.archfarm.portal.builds.BuildQueries;
import io.archfarm.portal.builds.BuildQueries.BuildFilter;
import io.archfarm.portal.builds.BuildView;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.secrets.BuildSecrets;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /projects/{team}/{project}}: settings (a form for maintainers, facts for everyone else), webhook URLs and the
 * secret, the webhook deliveries (maintainers), the registry credential, the build secrets (ids, never values), recent
 * builds and "Build now". The same rules
 * as the API: outsiders get 404, a missing role 403, and every change goes through the same service and validator.
 */
@UiController
class ProjectPage {

    static final int RECENT_BUILDS = 20;
    static final int RECENT_DELIVERIES = 20;
    private static final String NO_STORE = "no-store";
    private static final List<String> CREDENTIAL_FIELDS = List.of("username", "password");
    private static final List<String> SECRET_FIELDS = List.of("id", "value");

    private final Access access;
    private final Projects projects;
    private final ProjectBuilds builds;
    private final BuildQueries queries;
    private final BuildSecrets secrets;
    private final WebhookDeliveries deliveries;

    ProjectPage(
            Access access,
            Projects projects,
            ProjectBuilds builds,
            BuildQueries queries,
            BuildSecrets secrets,
            WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.access = access;
        this.projects = projects;
        this.builds = builds;
        this.queries = queries;
    }

    @ModelAttribute("choices")
    ProjectForm.Choices choices() {
        return ProjectForm.CHOICES;
    }

    @GetMapping("/projects/{team}/{project}")
    String show(@PathVariable String team, @PathVariable String project, Model model) {
        return page(access.team(team, Role.VIEWER), project, model);
    }

    /** The recent builds panel alone, for htmx to refresh. */
    @GetMapping("/projects/{team}/{project}/recent-builds")
    String recentBuilds(@PathVariable String team, @PathVariable String project, Model model) {
        Team owner = access.team(team, Role.VIEWER);
        model.addAttribute("project", projects.get(owner, project));
        model.addAttribute("builds", recent(owner, project));
        return "projects/detail :: recent-builds";
    }

    @PostMapping("/projects/{team}/{project}/settings")
    String save(
            @PathVariable String team,
            @PathVariable String project,
            @ModelAttribute("form") ProjectForm form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        Team owner = maintained(team, project);
        try {
            projects.update(owner, project, form.toBody(false));
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            model.addAttribute("errors", ProjectPageErrors.byField(problem, ProjectForm.FIELDS, ProjectForm.ELSEWHERE));
            return page(owner, project, model);
        }
        redirect.addFlashAttribute("notice", "saved");
        return "redirect:/projects/{team}/{project}";
    }

    /** Shows the webhook secret in the answer to this POST only, never in a page that a GET (or a cache) gives. */
    @PostMapping("/projects/{team}/{project}/webhook-secret")
    String reveal(@PathVariable String team, @PathVariable String project, Model model, HttpServletResponse response) {
        Team owner = maintained(team, project);
        response.setHeader("Cache-Control", NO_STORE);
        model.addAttribute("secret", projects.webhookSecret(owner, project));
        return page(owner, project, model);
    }

    @PostMapping("/projects/{team}/{project}/webhook-secret/rotate")
    String rotate(@PathVariable String team, @PathVariable String project, Model model, HttpServletResponse response) {
        Team owner = maintained(team, project);
        response.setHeader("Cache-Control", NO_STORE);
        model.addAttribute("secret", projects.rotateWebhookSecret(owner, project));
        model.addAttribute("notice", "rotated");
        return page(owner, project, model);
    }

    /** Stores the credential for the registry of the project's image; the password is never shown again. */
    @PostMapping("/projects/{team}/{project}/registry-credential")
    String setRegistryCredential(
            @PathVariable String team,
            @PathVariable String project,
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String password,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        Team owner = maintained(team, project);
        try {
            projects.setRegistryCredential(owner, project, new RegistryCredentialBody(username, password));
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            model.addAttribute("credentialUsername", username);
            model.addAttribute("credentialErrors", ProjectPageErrors.byField(problem, CREDENTIAL_FIELDS, "credential"));
            return page(owner, project, model);
        }
        redirect.addFlashAttribute("notice", "credentialSet");
        return "redirect:/projects/{team}/{project}";
    }

    @PostMapping("/projects/{team}/{project}/registry-credential/delete")
    String removeRegistryCredential(
            @PathVariable String team, @PathVariable String project, RedirectAttributes redirect) {
        projects.removeRegistryCredential(maintained(team, project), project);
        redirect.addFlashAttribute("notice", "credentialRemoved");
        return "redirect:/projects/{team}/{project}";
    }

    /** Sets or replaces a project build secret; its value is never shown again, not even in a refusal. */
    @PostMapping("/projects/{team}/{project}/secrets")
    String setSecret(
            @PathVariable String team,
            @PathVariable String project,
            @RequestParam(required = false) String id,
            @RequestParam(required = false) String value,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        Team owner = maintained(team, project);
        try {
            secrets.setForProject(
                    owner,
                    projects.find(owner, project).id(),
                    id,
                    value,
                    access.caller().username());
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST && problem.status() != HttpStatus.CONFLICT) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            model.addAttribute("secretId", id);
            model.addAttribute("secretErrors", ProjectPageErrors.byField(problem, SECRET_FIELDS, "secret"));
            return page(owner, project, model);
        }
        redirect.addFlashAttribute("notice", "secretSet");
        return "redirect:/projects/{team}/{project}";
    }

    @PostMapping("/projects/{team}/{project}/secrets/{id}/delete")
    String deleteSecret(
            @PathVariable String team,
            @PathVariable String project,
            @PathVariable String id,
            RedirectAttributes redirect) {
        Team owner = maintained(team, project);
        secrets.deleteForProject(owner, projects.find(owner, project).id(), id);
        redirect.addFlashAttribute("notice", "secretDeleted");
        return "redirect:/projects/{team}/{project}";
    }

    @PostMapping("/projects/{team}/{project}/builds")
    String buildNow(
            @PathVariable String team,
            @PathVariable String project,
            @RequestParam(required = false) String ref,
            @RequestParam(defaultValue = "false") boolean noCache,
            Model model,
            HttpServletResponse response) {
        Team owner = access.team(team, Role.VIEWER);
        projects.find(owner, project);
        access.team(team, Role.DEVELOPER);
        try {
            return "redirect:/builds/" + start(owner, project, ref, noCache);
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            model.addAttribute("buildRef", ref);
            model.addAttribute("buildNoCache", noCache);
            model.addAttribute("buildErrors", ProjectPageErrors.byField(problem, List.of("ref"), "build"));
            return page(owner, project, model);
        }
    }

    @PostMapping("/projects/{team}/{project}/delete")
    String delete(@PathVariable String team, @PathVariable String project, RedirectAttributes redirect) {
        Team owner = maintained(team, project);
        projects.delete(owner, project);
        redirect.addFlashAttribute("notice", "deleted");
        redirect.addFlashAttribute("deleted", owner.slug() + "/" + project);
        return "redirect:/projects";
    }

    private UUID start(Team owner, String project, String ref, boolean noCache) {
        return builds.startByHand(
                projects.find(owner, project),
                new ProjectBuilds.ProjectBuildBody(
                        ref == null || ref.isBlank() ? null : ref.strip(), null, null, noCache),
                BuildOrigin.Trigger.UI,
                access.caller().username());
    }

    private String page(Team owner, String slug, Model model) {
        ProjectView project = projects.get(owner, slug);
        Role role = roleIn(owner);
        model.addAttribute("project", project);
        model.addAttribute("role", role.wireName());
        model.addAttribute("maintainer", role.includes(Role.MAINTAINER));
        model.addAttribute("developer", role.includes(Role.DEVELOPER));
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", ProjectForm.of(project));
        }
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        if (!model.containsAttribute("buildErrors")) {
            model.addAttribute("buildErrors", Map.of());
        }
        if (!model.containsAttribute("credentialErrors")) {
            model.addAttribute("credentialErrors", Map.of());
        }
        if (!model.containsAttribute("secretErrors")) {
            model.addAttribute("secretErrors", Map.of());
        }
        model.addAttribute(
                "secrets",
                secrets.ofProject(owner.id(), projects.find(owner, slug).id()));
        model.addAttribute(
                "imageRegistry", ImageReference.parse(project.image()).registry());
        model.addAttribute("builds", recent(owner, slug));
        // what the forges sent and what came of it: for maintainers, as GET .../deliveries is
        model.addAttribute(
                "deliveries",
                role.includes(Role.MAINTAINER)
                        ? deliveries.newestWithBuilds(projects.find(owner, slug).id(), RECENT_DELIVERIES)
                        : List.of());
        return "projects/detail";
    }

    private List<BuildView> recent(Team owner, String slug) {
        return queries.recent(new BuildFilter(
                Optional.empty(),
                Optional.of(Set.of(owner.id())),
                projects.find(owner, slug).id(),
                RECENT_BUILDS));
    }

    /** The caller's role in the team they can already see; an admin counts as its maintainer. */
    private Role roleIn(Team team) {
        return access.teams().stream()
                .filter(t -> t.teamId().equals(team.id()))
                .map(TeamRole::role)
                .findFirst()
                .orElse(Role.VIEWER);
    }

    /** The team, once the caller is known to see the project (404 otherwise) and to maintain it (403 otherwise). */
    private Team maintained(String team, String project) {
        Team owner = access.team(team, Role.VIEWER);
        projects.find(owner, project);
        return access.team(team, Role.MAINTAINER);
    }
}
