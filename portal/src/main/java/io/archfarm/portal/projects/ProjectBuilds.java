package io.archfarm.portal.projects;

import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.portal.builds.BuildOrigin;
import io.archfarm.portal.builds.BuildRequestValidator;
import io.archfarm.portal.builds.BuildService;
import io.archfarm.portal.builds.BuildService.ResolvedRef;
import io.archfarm.portal.builds.BuildSubmission;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts builds of a project with its defaults: by hand (API, pages) or for a push (webhooks). Each build takes the
 * project's next number and the tags its templates give for that ref, in the transaction that records it.
 */
@Service
class ProjectBuilds {

    static final String BRANCH_PREFIX = "refs/heads/";
    static final String TAG_PREFIX = "refs/tags/";

    private final BuildService builds;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    ProjectBuilds(BuildService builds, JdbcClient jdbc, TransactionTemplate transaction, Clock clock) {
        this.builds = builds;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** A build asked for by a person: the ref (default: the project's default branch) is resolved with git. */
    UUID startByHand(Project project, ProjectBuildBody body, BuildOrigin.Trigger trigger, String requestedBy) {
        ProjectBuildBody request = body == null ? new ProjectBuildBody(null, null, null, null) : body;
        List<FieldProblem> problems = new ArrayList<>();
        List<Platform> platforms = platforms(project, request.platforms(), problems);
        List<String> tags = tags(request.tags(), problems);
        if (request.ref() != null && (request.ref().isBlank() || request.ref().startsWith("-"))) {
            problems.add(new FieldProblem("ref", "ref '" + request.ref() + "' is not a branch, tag or commit id"));
        }
        if (!problems.isEmpty()) {
            throw ApiProblem.invalidFields(problems);
        }
        ResolvedRef source =
                builds.resolve(project.repository(), request.ref() == null ? project.defaultBranch() : request.ref());
        return record(project, source, platforms, tags, Boolean.TRUE.equals(request.noCache()), trigger, requestedBy);
    }

    /**
     * A build for a pushed branch or tag, of exactly the pushed commit (no git round trip). A push always builds with
     * the cache (as far as the project uses one): building everything again is a person's decision.
     */
    UUID startForPush(Project project, String fullRef, String commit, String pushedBy) {
        String shortName = fullRef.startsWith(BRANCH_PREFIX)
                ? fullRef.substring(BRANCH_PREFIX.length())
                : fullRef.startsWith(TAG_PREFIX) ? fullRef.substring(TAG_PREFIX.length()) : fullRef;
        return record(
                project,
                new ResolvedRef(shortName, commit, fullRef),
                platforms(project, null, List.of()),
                null,
                false,
                BuildOrigin.Trigger.WEBHOOK,
                pushedBy);
    }

    private UUID record(
            Project project,
            ResolvedRef source,
            List<Platform> platforms,
            @Nullable List<String> tagsAsked,
            boolean noCache,
            BuildOrigin.Trigger trigger,
            String requestedBy) {
        return transaction.execute(tx -> {
            long number = jdbc.sql("update projects set last_build_number = last_build_number + 1 where id = :id "
                            + "returning last_build_number")
                    .param("id", project.id())
                    .query(Long.class)
                    .single();
            List<String> tags = tagsAsked != null ? tagsAsked : tagsFor(project, source, number);
            BuildSubmission submission = new BuildSubmission(
                    project.repository(),
                    source.ref(),
                    project.containerfile(),
                    project.contextDir(),
                    platforms,
                    project.image(),
                    tags,
                    project.buildArgs(),
                    project.placement(),
                    placements(project, platforms),
                    project.publish(),
                    noCache);
            UUID id = builds.record(
                    submission,
                    source,
                    new BuildOrigin(
                            project.teamId(),
                            project.id(),
                            number,
                            trigger,
                            requestedBy,
                            project.fetchSubmodules(),
                            project.layerCache()));
            if (project.cancelSuperseded()) {
                builds.cancelSuperseded(project.id(), id, number, source);
            }
            if (project.forge() != null && project.sealedForgeToken() != null) {
                // owed to the forge: pending now, then the outcome; reported in the background, never in the way
                jdbc.sql("insert into commit_statuses (build_id, next_attempt_at) values (:build, :now)")
                        .param("build", id)
                        .param("now", Timestamp.from(Instant.now(clock)))
                        .update();
            }
            return id;
        });
    }

    /**
     * The tags the project's templates give for this ref; when none applies (say, only {@code {branch}} templates
     * and a commit id was built) the image is still published, as {@code sha-<7 hex>}.
     */
    static List<String> tagsFor(Project project, ResolvedRef source, long number) {
        String fullRef = source.fullRef();
        TagTemplates.RefKind kind = fullRef == null
                ? null
                : fullRef.startsWith(BRANCH_PREFIX)
                        ? TagTemplates.RefKind.BRANCH
                        : fullRef.startsWith(TAG_PREFIX) ? TagTemplates.RefKind.TAG : null;
        String name = fullRef == null
                ? null
                : kind == TagTemplates.RefKind.BRANCH
                        ? fullRef.substring(BRANCH_PREFIX.length())
                        : kind == TagTemplates.RefKind.TAG ? fullRef.substring(TAG_PREFIX.length()) : null;
        boolean defaultBranch =
                kind == TagTemplates.RefKind.BRANCH && project.defaultBranch().equals(name);
        List<String> tags = TagTemplates.render(
                project.tagTemplates(), new TagTemplates.Context(kind, name, source.commit(), number, defaultBranch));
        return tags.isEmpty() ? List.of("sha-" + source.commit().substring(0, 7)) : tags;
    }

    private static List<Platform> platforms(
            Project project, @Nullable List<String> asked, List<FieldProblem> problems) {
        if (asked == null) {
            return project.platforms().stream().map(Platform::parse).toList();
        }
        if (asked.isEmpty()) {
            problems.add(new FieldProblem(
                    "platforms",
                    "platforms must name at least one platform (leave it out for " + "the project's "
                            + project.platforms() + ")"));
        }
        return BuildRequestValidator.canonicalPlatforms(asked, problems);
    }

    private static @Nullable List<String> tags(@Nullable List<String> asked, List<FieldProblem> problems) {
        if (asked == null) {
            return null;
        }
        if (asked.isEmpty()) {
            problems.add(new FieldProblem("tags", "tags must not be empty (leave it out for the project's templates)"));
        }
        return BuildRequestValidator.validTags(asked, problems);
    }

    private static Map<Platform, Placement> placements(Project project, List<Platform> platforms) {
        Map<Platform, Placement> placements = new LinkedHashMap<>();
        project.platformPlacements().forEach((platform, placement) -> {
            Platform parsed = Platform.parse(platform);
            if (platforms.contains(parsed)) {
                placements.put(parsed, Placement.valueOf(placement));
            }
        });
        return placements;
    }

    /**
     * {@code POST /api/v1/projects/{team}/{project}/builds}: every field optional.
     *
     * @param noCache build every step again rather than reuse cached layers; false when left out
     */
    record ProjectBuildBody(
            @Nullable String ref,
            @Nullable List<String> platforms,
            @Nullable List<String> tags,
            @Nullable Boolean noCache) {}
}
