package io.archfarm.portal.projects;

import io.archfarm.model.ImageReference;
import io.archfarm.model.Placement;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.secrets.SecretBox;
import io.archfarm.portal.web.PortalProperties;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, changes and deletes projects, and keeps their webhook secrets. */
@Service
class Projects {

    private final ProjectRepository projects;
    private final ProjectValidator validator;
    private final SecretBox secrets;
    private final PortalProperties portal;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Projects(
            ProjectRepository projects,
            ProjectValidator validator,
            SecretBox secrets,
            PortalProperties portal,
            Clock clock) {
        this.projects = projects;
        this.validator = validator;
        this.secrets = secrets;
        this.portal = portal;
        this.clock = clock;
    }

    /** Creates the project and answers its view with the new webhook secret, shown this once. */
    @Transactional
    ProjectView create(Team team, ProjectBody body) {
        String slug = validator.slug(body == null ? null : body.slug());
        ProjectSettings settings = validator.validate(body, false);
        if (projects.findByTeamIdAndSlug(team.id(), slug).isPresent()) {
            throw ApiProblem.conflict("project '" + team.slug() + "/" + slug + "' already exists");
        }
        String secret = newSecret();
        Instant now = Instant.now(clock);
        Project project = new Project(UUID.randomUUID(), team.id(), slug, secrets.seal(secret), now);
        project.configure(settings, sealedToken(settings), now);
        try {
            projects.saveAndFlush(project);
        } catch (DataIntegrityViolationException e) {
            throw ApiProblem.conflict("project '" + team.slug() + "/" + slug + "' already exists");
        }
        return view(team, project, secret);
    }

    @Transactional
    ProjectView update(Team team, String slug, ProjectBody body) {
        Project project = find(team, slug);
        if (body != null && body.slug() != null && !body.slug().equals(slug)) {
            throw ApiProblem.badRequest(
                    "slug",
                    "a project cannot be renamed (slug '" + body.slug() + "' in the body, '" + slug
                            + "' in the URL): create a new project instead");
        }
        ProjectSettings settings = validator.validate(body, project.sealedForgeToken() != null);
        project.configure(settings, sealedToken(settings), Instant.now(clock));
        return view(team, project, null);
    }

    @Transactional
    void delete(Team team, String slug) {
        projects.delete(find(team, slug));
    }

    @Transactional
    String rotateWebhookSecret(Team team, String slug) {
        Project project = find(team, slug);
        String secret = newSecret();
        project.rotateWebhookSecret(secrets.seal(secret), Instant.now(clock));
        return secret;
    }

    /** Stores the credential for the registry of the project's image now; it is never read back out. */
    @Transactional
    ProjectView setRegistryCredential(Team team, String slug, RegistryCredentialBody body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON body with username and password is required");
        }
        RegistryCredentialBody credential = body.validated();
        Project project = find(team, slug);
        String registry = ImageReference.parse(project.image()).registry();
        project.registryCredential(
                registry, credential.username(), secrets.seal(credential.password()), Instant.now(clock));
        return view(team, project, null);
    }

    @Transactional
    ProjectView removeRegistryCredential(Team team, String slug) {
        Project project = find(team, slug);
        project.registryCredential(null, null, null, Instant.now(clock));
        return view(team, project, null);
    }

    @Transactional(readOnly = true)
    String webhookSecret(Team team, String slug) {
        return secrets.open(find(team, slug).sealedWebhookSecret());
    }

    @Transactional(readOnly = true)
    ProjectView get(Team team, String slug) {
        return view(team, find(team, slug), null);
    }

    @Transactional(readOnly = true)
    List<ProjectView> list(Team team) {
        return projects.findByTeamIdOrderBySlug(team.id()).stream()
                .map(p -> view(team, p, null))
                .toList();
    }

    Optional<Project> findOptional(Team team, String slug) {
        return projects.findByTeamIdAndSlug(team.id(), slug == null ? "" : slug);
    }

    Project find(Team team, String slug) {
        return projects.findByTeamIdAndSlug(team.id(), slug == null ? "" : slug)
                .orElseThrow(() -> ApiProblem.notFound("project '" + team.slug() + "/" + slug + "' does not exist"));
    }

    /** The webhook URL for each forge: one per project per forge. */
    Map<String, String> webhookUrls(Team team, Project project) {
        return Arrays.stream(Forge.values())
                .collect(Collectors.toMap(
                        Forge::wireName,
                        forge -> portal.link("/hooks/" + team.slug() + "/" + project.slug() + "/" + forge.wireName()),
                        (a, b) -> a,
                        LinkedHashMap::new));
    }

    private ProjectView view(Team team, Project p, @Nullable String secret) {
        Map<String, String> placements = new LinkedHashMap<>();
        p.platformPlacements()
                .forEach((platform, placement) ->
                        placements.put(platform, Placement.valueOf(placement).wireName()));
        ProjectView.CommitStatusView status = p.forge() == null
                ? null
                : new ProjectView.CommitStatusView(
                        p.forge().wireName(), p.forgeApiUrl(), p.forgeRepository(), p.sealedForgeToken() != null);
        ProjectView.RegistryCredentialView credential = p.registryHost() == null
                ? null
                : new ProjectView.RegistryCredentialView(
                        p.registryHost(),
                        p.registryUsername(),
                        p.registryHost().equals(ImageReference.parse(p.image()).registry()));
        return new ProjectView(
                team.slug(),
                p.slug(),
                p.repository(),
                p.defaultBranch(),
                p.containerfile(),
                p.contextDir(),
                p.platforms(),
                p.placement().wireName(),
                placements,
                p.image(),
                p.tagTemplates(),
                p.branchFilters(),
                p.tagFilters(),
                p.buildArgs(),
                p.publish().wireName(),
                p.fetchSubmodules(),
                p.layerCache(),
                p.cancelSuperseded(),
                status,
                credential,
                webhookUrls(team, p),
                p.lastBuildNumber(),
                p.createdAt(),
                p.updatedAt(),
                secret);
    }

    private @Nullable String sealedToken(ProjectSettings settings) {
        return settings.commitStatus() == null || settings.commitStatus().token() == null
                ? null
                : secrets.seal(settings.commitStatus().token());
    }

    /** 32 random bytes as hex: what GitHub, GitLab and Gitea accept as a webhook secret. */
    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
