package io.archfarm.portal.projects;

import io.archfarm.portal.builds.BuildRequestBody;
import io.archfarm.portal.builds.BuildRequestValidator;
import io.archfarm.portal.builds.BuildSubmission;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.git.RepositoryUrlPolicy;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a project field by field and names every problem at once. The fields a project shares with a build request
 * (repository, paths, platforms, placement, image, build args, publish) go through the build request's own
 * validator, so a project accepts exactly what an ad-hoc build accepts.
 */
@Component
class ProjectValidator {

    static final String DEFAULT_BRANCH = "main";
    static final List<String> DEFAULT_TAG_TEMPLATES = List.of("{branch}", "{tag}", "sha-{sha:7}", "latest");
    static final List<String> DEFAULT_TAG_FILTERS = List.of("*");

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern OWNER_NAME = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern GITLAB_PROJECT = Pattern.compile("[0-9]+|[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");

    private final BuildRequestValidator builds;
    private final RepositoryUrlPolicy urls;

    ProjectValidator(BuildRequestValidator builds, RepositoryUrlPolicy urls) {
        this.builds = builds;
        this.urls = urls;
    }

    String slug(@Nullable String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw ApiProblem.badRequest(
                    "slug",
                    "project slug '" + slug + "' is not valid: expected 1 to 64 of "
                            + "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return slug;
    }

    /**
     * @param tokenStored whether the project already has a forge token (a PUT may then leave the token out)
     */
    ProjectSettings validate(ProjectBody body, boolean tokenStored) {
        if (body == null) {
            throw ApiProblem.badRequest("the request body is missing: expected a JSON project");
        }
        List<FieldProblem> problems = new ArrayList<>();
        String defaultBranch = body.defaultBranch() == null ? DEFAULT_BRANCH : body.defaultBranch();
        BuildSubmission shared = null;
        try {
            shared = builds.validate(new BuildRequestBody(
                    null,
                    body.repository(),
                    defaultBranch,
                    body.containerfile(),
                    body.context(),
                    body.platforms(),
                    body.image(),
                    List.of("latest"),
                    body.buildArgs(),
                    body.placement(),
                    body.platformPlacement(),
                    body.publish(),
                    null));
        } catch (ApiProblem problem) {
            problems.addAll(fieldProblems(problem));
        }
        if (defaultBranch.startsWith("refs/") || defaultBranch.isBlank()) {
            problems.add(new FieldProblem(
                    "defaultBranch",
                    "defaultBranch '" + defaultBranch + "' must be a branch name such as main, not a full ref"));
        }
        List<String> templates = orDefault(body.tagTemplates(), DEFAULT_TAG_TEMPLATES);
        TagTemplates.validate(templates).forEach(why -> problems.add(new FieldProblem("tagTemplates", why)));
        List<String> branchFilters = orDefault(body.branchFilters(), List.of(defaultBranch));
        RefFilters.validate(branchFilters).forEach(why -> problems.add(new FieldProblem("branchFilters", why)));
        List<String> tagFilters = orDefault(body.tagFilters(), DEFAULT_TAG_FILTERS);
        RefFilters.validate(tagFilters).forEach(why -> problems.add(new FieldProblem("tagFilters", why)));
        ProjectSettings.CommitStatusSettings status = commitStatus(body.commitStatus(), tokenStored, problems);
        if (!problems.isEmpty() || shared == null) {
            // shared is null only when its validation added problems
            throw ApiProblem.invalidFields(problems);
        }
        return new ProjectSettings(
                shared.repository(),
                defaultBranch,
                shared.containerfile(),
                shared.context(),
                shared.platforms(),
                shared.placement(),
                shared.platformPlacement(),
                shared.image(),
                templates,
                branchFilters,
                tagFilters,
                shared.buildArgs(),
                shared.publish(),
                Boolean.TRUE.equals(body.fetchSubmodules()),
                !Boolean.FALSE.equals(body.layerCache()),
                Boolean.TRUE.equals(body.cancelSuperseded()),
                status);
    }

    private ProjectSettings.@Nullable CommitStatusSettings commitStatus(
            ProjectBody.@Nullable CommitStatusBody body, boolean tokenStored, List<FieldProblem> problems) {
        if (body == null) {
            return null;
        }
        Forge forge = Forge.fromWireName(body.forge()).orElse(null);
        if (forge == null) {
            problems.add(new FieldProblem(
                    "commitStatus.forge", "forge '" + body.forge() + "' is not one of github, gitlab, gitea, forgejo"));
        }
        if (body.apiUrl() == null || body.apiUrl().isBlank()) {
            problems.add(new FieldProblem(
                    "commitStatus.apiUrl",
                    "apiUrl is required, e.g. https://api.github.com, "
                            + "https://gitlab.com/api/v4 or https://gitea.example/api/v1"));
        } else {
            urls.refusalOfApiUrl(body.apiUrl())
                    .ifPresent(why -> problems.add(new FieldProblem("commitStatus.apiUrl", why)));
        }
        Pattern repository = forge == Forge.GITLAB ? GITLAB_PROJECT : OWNER_NAME;
        if (body.repository() == null || !repository.matcher(body.repository()).matches()) {
            problems.add(new FieldProblem(
                    "commitStatus.repository",
                    "repository '" + body.repository() + "' is not "
                            + (forge == Forge.GITLAB ? "a GitLab project id or path (group/project)" : "owner/name")));
        }
        if ((body.token() == null || body.token().isBlank()) && !tokenStored) {
            problems.add(new FieldProblem(
                    "commitStatus.token",
                    "token is required: the forge API token the farm " + "reports commit statuses with"));
        }
        String apiUrl = body.apiUrl() == null ? null : body.apiUrl().replaceAll("/+$", "");
        return new ProjectSettings.CommitStatusSettings(
                forge,
                apiUrl,
                body.repository(),
                body.token() == null || body.token().isBlank() ? null : body.token());
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> fieldProblems(ApiProblem problem) {
        Object errors = problem.properties().get("errors");
        if (errors instanceof List<?> list) {
            return ((List<FieldProblem>) list)
                    .stream()
                            .map(p -> p.field().equals("ref")
                                    ? new FieldProblem(
                                            "defaultBranch",
                                            String.valueOf(p.detail()).replace("ref '", "defaultBranch '"))
                                    : p)
                            .toList();
        }
        Object field = problem.properties().get("field");
        return List.of(new FieldProblem(field == null ? "project" : field.toString(), problem.getMessage()));
    }

    private static List<String> orDefault(@Nullable List<String> given, List<String> fallback) {
        return given == null ? fallback : given;
    }
}
