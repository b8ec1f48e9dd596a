package io.archfarm.portal.builds;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A build as the API and the pages show it: the request, where it stands, each platform job and the manifest list. */
public record BuildView(
        UUID id,
        String status,
        String team,
        String project,
        Long number,
        String trigger,
        String requestedBy,
        String repository,
        String ref,
        String commit,
        String containerfile,
        String context,
        String image,
        List<String> tags,
        Map<String, String> buildArgs,
        String placement,
        String publish,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        List<PlatformJobView> platforms,
        ManifestListView manifestList) {

    /** One platform of the build; QUEUED at attempt 0 until the scheduler has fanned the build out. */
    public record PlatformJobView(String platform, String placement, String status, String mode, String worker,
            int attempt, String digest, String error, Instant startedAt, Instant finishedAt) {

        static PlatformJobView notYetFannedOut(String platform, String placement) {
            return new PlatformJobView(platform, placement, "QUEUED", null, null, 0, null, null, null, null);
        }
    }

    public record ManifestListView(String digest, String mediaType, List<String> tags, List<ManifestEntryView> entries) {
    }

    public record ManifestEntryView(String platform, String digest, long size, String mediaType) {
    }
}
