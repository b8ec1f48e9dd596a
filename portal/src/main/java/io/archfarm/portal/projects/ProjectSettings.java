package io.archfarm.portal.projects;

import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.portal.forge.Forge;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A project's settings after validation, with defaults filled in and platforms canonical.
 *
 * @param layerCache       whether its builds reuse and keep layers in the workers' layer cache
 * @param cancelSuperseded whether a new build of a branch cancels the open builds of older commits of that branch
 */
record ProjectSettings(
        String repository,
        String defaultBranch,
        String containerfile,
        String context,
        List<Platform> platforms,
        Placement placement,
        Map<Platform, Placement> platformPlacement,
        String image,
        List<String> tagTemplates,
        List<String> branchFilters,
        List<String> tagFilters,
        Map<String, String> buildArgs,
        PublishPolicy publish,
        boolean fetchSubmodules,
        boolean layerCache,
        boolean cancelSuperseded,
        @Nullable CommitStatusSettings commitStatus) {

    /** @param token the forge API token in plain text, or null to keep the stored one */
    record CommitStatusSettings(
            @Nullable Forge forge,
            @Nullable String apiUrl,
            @Nullable String repository,
            @Nullable String token) {}
}
