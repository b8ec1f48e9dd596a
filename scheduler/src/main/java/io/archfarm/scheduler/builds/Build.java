package io.archfarm.scheduler.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.PublishPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A build as the scheduler reads it from {@code builds}; never leaves the scheduler.
 *
 * @param fetchSubmodules whether workers fetch the commit's submodules too (the project asks for it)
 */
public record Build(
        UUID id,
        BuildStatus status,
        String repository,
        String ref,
        String commit,
        boolean fetchSubmodules,
        String containerfile,
        String contextDir,
        String image,
        List<String> tags,
        List<String> platforms,
        Map<String, String> buildArgs,
        Placement placement,
        Map<String, Placement> platformPlacements,
        PublishPolicy publish,
        String requestedBy,
        Instant cancelRequestedAt) {

    /** The placement of one platform: its own when the request gave one, else the build's. */
    public Placement placementOf(String platform) {
        return platformPlacements.getOrDefault(platform, placement);
    }

    public boolean cancelRequested() {
        return cancelRequestedAt != null;
    }
}
