package io.archfarm.portal.projects;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.accounts.TeamRole;
import io.archfarm.portal.builds.BuildAccess;
import io.archfarm.portal.builds.BuildOrigin;
import io.archfarm.portal.builds.BuildQueries;
import io.archfarm.portal.builds.BuildRequestBody;
import io.archfarm.portal.builds.BuildRequestValidator;
import io.archfarm.portal.builds.BuildService;
import io.archfarm.portal.pages.CurrentTeam;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /builds/new}: start a build of a project at a ref, or of any repository. The form goes through the API's own
 * validation, and every refusal is shown next to the field it concerns.
 */
@UiController
class NewBuildPage {

    private static final Set<String> FIELDS = Set.of(
            "project",
            "ref",
            "team",
            "repository",
            "image",
            "containerfile",
            "context",
            "platforms",
            "placement",
            "publish",
            "tags",
            "buildArgs");
    private static final String ELSEWHERE = "form";

    private final Access access;
    private final CurrentTeam currentTeam;
    private final Projects projects;
    private final ProjectBuilds projectBuilds;
    private final BuildRequestValidator validator;
    private final BuildService builds;
    private final BuildQueries queries;
    private final BuildAccess buildAccess;

    NewBuildPage(
            Access access,
            CurrentTeam currentTeam,
            Projects projects,
            ProjectBuilds projectBuilds,
            BuildRequestValidator validator,
            BuildService builds,
            BuildQueries queries,
            BuildAccess buildAccess) {
        this.buildAccess = buildAccess;
        this.access = access;
        this.currentTeam = currentTeam;
        this.projects = projects;
        this.projectBuilds = projectBuilds;
        this.validator = validator;
        this.builds = builds;
        this.queries = queries;
    }

    @GetMapping("/builds/new")
    String form(@RequestParam(required = false) String project, HttpSession session, Model model) {
        String team = currentTeam.resolve(session, null).map(TeamRole::slug).orElse("");
        return show(NewBuildForm.blank(project, team), Map.of(), model);
    }

    @PostMapping("/builds/new")
    String submit(@ModelAttribute NewBuildForm form, Model model, HttpServletResponse response) {
        try {
            UUID id = form.forProject() ? startProjectBuild(form) : startAdHocBuild(form);
            return "redirect:/builds/" + id;
        } catch (ApiProblem refused) {
            if (refused.status().value() != 400) {
                throw refused;
            }
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return show(form, ProjectPageErrors.byField(refused, FIELDS, ELSEWHERE), model);
        }
    }

    private UUID startProjectBuild(NewBuildForm form) {
        String[] path = form.projectPath();
        if (path.length != 2) {
            throw ApiProblem.badRequest("project", "choose a project as team/project, not '" + form.project() + "'");
        }
        Team owner = access.team(path[0], Role.VIEWER);
        Project project = projects.find(owner, path[1]);
        access.team(path[0], Role.DEVELOPER);
        return projectBuilds.startByHand(
                project,
                new ProjectBuilds.ProjectBuildBody(
                        NewBuildForm.blankToNull(form.ref()), form.platformList(), form.tagList(), form.withoutCache()),
                BuildOrigin.Trigger.UI,
                access.caller().username());
    }

    private UUID startAdHocBuild(NewBuildForm form) {
        String teamSlug = NewBuildForm.blankToNull(form.team());
        UUID teamId = buildAccess.teamForNewBuild(teamSlug);
        BuildRequestBody body = new BuildRequestBody(
                teamSlug,
                NewBuildForm.blankToNull(form.repository()),
                NewBuildForm.blankToNull(form.ref()),
                NewBuildForm.blankToNull(form.containerfile()),
                NewBuildForm.blankToNull(form.context()),
                form.platformList(),
                NewBuildForm.blankToNull(form.image()),
                form.tagList(),
                form.buildArgMap(),
                NewBuildForm.blankToNull(form.placement()),
                null,
                NewBuildForm.blankToNull(form.publish()),
                form.withoutCache());
        return builds.submit(
                validator.validate(body),
                BuildOrigin.adHoc(
                        teamId, BuildOrigin.Trigger.UI, access.caller().username()));
    }

    private String show(NewBuildForm form, Map<String, List<String>> errors, Model model) {
        List<TeamRole> teams = access.teams().stream()
                .filter(team -> team.role().includes(Role.DEVELOPER))
                .toList();
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("teams", teams);
        model.addAttribute(
                "projects",
                teams.stream()
                        .flatMap(team -> projects.list(access.team(team.slug(), Role.DEVELOPER)).stream())
                        .map(p -> p.team() + "/" + p.slug())
                        .toList());
        model.addAttribute("platforms", queries.offeredPlatforms());
        return "builds/new";
    }
}
