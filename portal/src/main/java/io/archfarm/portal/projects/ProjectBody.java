package io.archfarm.portal.projects;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A project as {@code POST /api/v1/teams/{team}/projects} and {@code PUT /api/v1/projects/{team}/{project}} take it.
 * Everything but slug, repository, platforms and image has a default; a PUT replaces every setting.
 *
 * @param layerCache       whether the project's builds use the workers' layer cache; on when left out
 * @param cancelSuperseded whether a new build of a branch cancels the queued and running builds of older commits of
 *                         that branch; off when left out
 */
record ProjectBody(
        @Nullable String slug,
        @Nullable String repository,
        @Nullable String defaultBranch,
        @Nullable String containerfile,
        @Nullable String context,
        @Nullable List<String> platforms,
        @Nullable String placement,
        @Nullable Map<String, String> platformPlacement,
        @Nullable String image,
        @Nullable List<String> tagTemplates,
        @Nullable List<String> branchFilters,
        @Nullable List<String> tagFilters,
        @Nullable Map<String, String> buildArgs,
        @Nullable String publish,
        @Nullable Boolean fetchSubmodules,
        @Nullable Boolean layerCache,
        @Nullable Boolean cancelSuperseded,
        @Nullable CommitStatusBody commitStatus) {

    /**
     * Where to report commit statuses. {@code token} is write-only: it is never shown again, and a PUT without it
     * keeps the stored one.
     */
    record CommitStatusBody(
            @Nullable String forge,
            @Nullable String apiUrl,
            @Nullable String repository,
            @Nullable String token) {}
}
