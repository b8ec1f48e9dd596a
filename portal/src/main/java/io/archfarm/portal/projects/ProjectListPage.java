package io.archfarm.portal.projects;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.accounts.TeamRole;
import io.archfarm.portal.pages.CurrentTeam;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.projects.ProjectPageQueries.ProjectRow;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /projects}: the projects of every team the reader is in, each with its newest build; and
 * {@code /projects/new}, where a maintainer creates one with the API's own validation.
 */
@UiController
class ProjectListPage {

    private final Access access;
    private final Projects projects;
    private final ProjectValidator validator;
    private final ProjectPageQueries queries;
    private final CurrentTeam currentTeam;

    ProjectListPage(
            Access access,
            Projects projects,
            ProjectValidator validator,
            ProjectPageQueries queries,
            CurrentTeam currentTeam) {
        this.access = access;
        this.projects = projects;
        this.validator = validator;
        this.queries = queries;
        this.currentTeam = currentTeam;
    }

    @ModelAttribute("choices")
    ProjectForm.Choices choices() {
        return ProjectForm.CHOICES;
    }

    @GetMapping("/projects")
    String list(Model model) {
        Map<String, List<ProjectRow>> byTeam =
                queries.overview(access.visibleTeamIds()).stream().collect(Collectors.groupingBy(ProjectRow::team));
        model.addAttribute(
                "teams",
                access.teams().stream()
                        .map(team -> new TeamProjects(
                                team.slug(),
                                team.name(),
                                team.role().wireName(),
                                team.role().includes(Role.MAINTAINER),
                                byTeam.getOrDefault(team.slug(), List.of())))
                        .toList());
        return "projects/list";
    }

    @GetMapping("/projects/new")
    String newProject(@RequestParam(required = false) String team, HttpSession session, Model model) {
        Team owner = access.team(teamOrCurrent(team, session), Role.MAINTAINER);
        return form(owner, ProjectForm.defaults(), Map.of(), model);
    }

    @PostMapping("/projects/new")
    String create(
            @RequestParam(required = false) String team,
            @ModelAttribute("form") ProjectForm form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        Team owner = access.team(team, Role.MAINTAINER);
        ProjectBody body = form.toBody(true);
        try {
            ProjectView created = projects.create(owner, body);
            redirect.addFlashAttribute("notice", "created");
            return "redirect:/projects/" + owner.slug() + "/" + created.slug();
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST && problem.status() != HttpStatus.CONFLICT) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            return form(owner, form, errorsOf(problem, body), model);
        }
    }

    /**
     * The API checks the slug (and that it is free) before the other fields; the page names every problem at once,
     * with the same validator.
     */
    private Map<String, List<String>> errorsOf(ApiProblem problem, ProjectBody body) {
        Map<String, List<String>> errors = problem.status() == HttpStatus.CONFLICT
                ? Map.of("slug", List.of(problem.getMessage()))
                : ProjectPageErrors.byField(problem, ProjectForm.FIELDS, ProjectForm.ELSEWHERE);
        if (!errors.containsKey("slug")) {
            return errors;
        }
        try {
            validator.validate(body, false);
            return errors;
        } catch (ApiProblem rest) {
            return ProjectPageErrors.merged(
                    errors, ProjectPageErrors.byField(rest, ProjectForm.FIELDS, ProjectForm.ELSEWHERE));
        }
    }

    private String form(Team owner, ProjectForm form, Map<String, List<String>> errors, Model model) {
        model.addAttribute(
                "team", new TeamProjects(owner.slug(), owner.name(), Role.MAINTAINER.wireName(), true, List.of()));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "projects/new";
    }

    private String teamOrCurrent(String team, HttpSession session) {
        if (team != null && !team.isBlank()) {
            return team;
        }
        return currentTeam
                .resolve(session, null)
                .map(TeamRole::slug)
                .orElseThrow(() -> ApiProblem.badRequest(
                        "team", "choose the team the new project belongs to: /projects/new?team=<slug>"));
    }

    /** A team in the list, with the reader's role in it and its projects. */
    record TeamProjects(String slug, String name, String role, boolean maintainer, List<ProjectRow> projects) {}
}
