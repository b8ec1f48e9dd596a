package io.archfarm.scheduler.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.LayerCache;
import io.archfarm.model.Placement;
import io.archfarm.model.PublishPolicy;
import io.archfarm.model.messages.JobAssignment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A build as the scheduler reads it from {@code builds}; never leaves the scheduler.
 *
 * @param fetchSubmodules whether workers fetch the commit's submodules too (the project asks for it)
 * @param teamId          the team the build belongs to; null for an admin's ad-hoc build outside any team
 * @param cacheEnabled    the project's layer cache setting when the build was recorded (true for ad-hoc builds)
 * @param noCache         whether the build asked to build every step again
 * @param version         the row's version when it was read: every change of the build counts it up, so a change
 *                        guarded by it fails when anything changed the build meanwhile
 * @param acceptedSeq     the order in which the farm accepted the build: of two builds publishing the same tag, the
 *                        later accepted keeps it
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
        @Nullable String requestedBy,
        @Nullable Instant cancelRequestedAt,
        @Nullable UUID teamId,
        boolean cacheEnabled,
        boolean noCache,
        long version,
        long acceptedSeq) {

    /** The placement of one platform: its own when the request gave one, else the build's. */
    public Placement placementOf(String platform) {
        return platformPlacements.getOrDefault(platform, placement);
    }

    /** Whose layers the build's jobs may use and add to: a team's builds never see another team's layers. */
    public String cacheScope() {
        return teamId == null ? JobAssignment.NO_TEAM_SCOPE : teamId.toString();
    }

    public LayerCache layerCache() {
        return LayerCache.of(cacheEnabled, noCache);
    }

    public boolean cancelRequested() {
        return cancelRequestedAt != null;
    }
}
