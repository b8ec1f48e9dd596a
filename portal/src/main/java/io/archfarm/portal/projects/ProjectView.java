package io.archfarm.portal.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A project as the API shows it. Secrets never appear here, except {@code webhookSecret} in the answer to the
 * request that created the project (the maintainer has to copy it into the forge).
 */
record ProjectView(
        String team,
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
        boolean fetchSubmodules,
        boolean layerCache,
        boolean cancelSuperseded,
        @Nullable CommitStatusView commitStatus,
        @Nullable RegistryCredentialView registryCredential,
        Map<String, String> webhooks,
        long lastBuildNumber,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String webhookSecret) {

    /** @param tokenSet whether a forge token is stored (the token itself is never shown) */
    record CommitStatusView(
            String forge, @Nullable String apiUrl, @Nullable String repository, boolean tokenSet) {}

    /**
     * The project's registry credential without its password: the registry it was set for, the user, and whether it
     * is used, which it is only while the project's image is on that registry.
     */
    record RegistryCredentialView(String registry, @Nullable String username, boolean inUse) {}
}
