package io.archfarm.portal.builds;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who a build is for and how it came about.
 *
 * @param teamId          the owning team; null only for an admin's ad-hoc build outside any team
 * @param projectId       the project it was started for, or null for an ad-hoc build
 * @param buildNumber     the project's number for it (#1, #2, ...), or null for an ad-hoc build
 * @param requestedBy     the username of whoever started it (for a webhook: the project's forge user who pushed)
 * @param fetchSubmodules whether workers fetch the repository's submodules (only when a project asks)
 * @param layerCache      whether the build may use the workers' layer cache: its project's setting, and on for an
 *                        ad-hoc build (it has no project to turn it off; {@code noCache} still builds every step)
 */
public record BuildOrigin(
        @Nullable UUID teamId,
        @Nullable UUID projectId,
        @Nullable Long buildNumber,
        Trigger trigger,
        @Nullable String requestedBy,
        boolean fetchSubmodules,
        boolean layerCache) {

    public static BuildOrigin adHoc(@Nullable UUID teamId, Trigger trigger, @Nullable String requestedBy) {
        return new BuildOrigin(teamId, null, null, trigger, requestedBy, false, true);
    }

    /** What started a build. */
    public enum Trigger {
        API,
        WEBHOOK,
        UI
    }
}
