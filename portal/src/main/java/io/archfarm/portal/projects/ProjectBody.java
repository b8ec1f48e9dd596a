package io.archfarm.portal.projects;

import java.util.List;
import java.util.Map;

/**
 * A project as {@code POST /api/v1/teams/{team}/projects} and {@code PUT /api/v1/projects/{team}/{project}} take it.
 * Everything but slug, repository, platforms and image has a default; a PUT replaces every setting.
 *
 * @param layerCache       whether the project's builds use the workers' layer cache; on when left out
 * @param cancelSuperseded whether a new build of a branch cancels the queued and running builds of older commits of
 *                         that branch; off when left out
 */
record ProjectBody(
        String slug,
        String repository,
        String defaultBranch,
        String containerfile,
        String context,
        List<String> platforms,
        String placement,
        Map<String, String> platformPlacement,
        String image,
        List<String> tagTemplates,
        List<String> branchFilters,
        List<String> tagFilters,
        Map<String, String> buildArgs,
        String publish,
        Boolean fetchSubmodules,
        Boolean layerCache,
        Boolean cancelSuperseded,
        CommitStatusBody commitStatus) {

    /**
     * Where to report commit statuses. {@code token} is write-only: it is never shown again, and a PUT without it
     * keeps the stored one.
     */
    record CommitStatusBody(String forge, String apiUrl, String repository, String token) {
    }
}
