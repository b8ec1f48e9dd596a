package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.LayerCache;
import io.archfarm.model.messages.WorkerTools;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A build as the API and the pages show it: the request, where it stands, each platform job and the manifest list.
 *
 * @param retryable        whether "retry failed platforms" may be asked now: the build ended FAILED, PARTIAL or
 *                         CANCELLED with platforms that did not succeed, and no retry waits for the scheduler
 * @param retryPlatforms   the platforms such a retry builds again (or, while {@code retryRequestedAt} is set, is
 *                         about to); empty for a build that is queued, running or succeeded
 * @param retryRequestedAt when a retry was asked for that the scheduler has not taken up yet, else null
 * @param layerCache       what the build's jobs do with the workers' layer cache, as {@link #layerCacheOf} names it:
 *                         {@code use}, {@code refresh} (the build asked for {@code noCache}) or {@code off} (its
 *                         project turned the cache off)
 * @param noCache          whether the build asked to build every step again
 */
public record BuildView(
        UUID id,
        String status,
        @Nullable String team,
        @Nullable String project,
        @Nullable Long number,
        String trigger,
        @Nullable String requestedBy,
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
        @Nullable String layerCache,
        boolean noCache,
        @Nullable String error,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        List<PlatformJobView> platforms,
        @Nullable ManifestListView manifestList,
        boolean retryable,
        List<String> retryPlatforms,
        @Nullable Instant retryRequestedAt) {

    /**
     * One platform of the build; QUEUED at attempt 0 until the scheduler has fanned the build out.
     *
     * @param isolation how the worker isolated the RUN steps ({@code netns, egress none}); null until it ends
     * @param phases    where the time of the last finished attempt went; null until it ends
     * @param cache     what the layer cache did in the last finished attempt; null until it ends, when the attempt
     *                  did not get to build, and for workers that predate the layer cache
     * @param affinity  set at the claim: {@code HIT} (its preferred worker took it), {@code MISS} (another one
     *                  did), {@code NONE} (no worker built its project and platform lately); null before a claim
     * @param preferredWorker the worker that built its project and platform last and got it offered first, or null
     * @param tools     what the current attempt runs (or ran) with, as its worker said in its claim: kernel, storage
     *                  driver, buildah, skopeo, qemu per platform; null before it ran, and for workers that do not say
     */
    public record PlatformJobView(
            String platform,
            String placement,
            String status,
            @Nullable String mode,
            @Nullable String worker,
            int attempt,
            @Nullable String digest,
            @Nullable Long size,
            @Nullable String error,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable String isolation,
            @Nullable PhasesView phases,
            @Nullable CacheView cache,
            @Nullable String affinity,
            @Nullable String preferredWorker,
            @Nullable WorkerTools tools) {

        static PlatformJobView notYetFannedOut(String platform, String placement) {
            return new PlatformJobView(
                    platform, placement, "QUEUED", null, null, 0, null, null, null, null, null, null, null, null, null,
                    null, null);
        }

        /** The first line of the error: what failed, without the log tail the worker appends. */
        public @Nullable String errorSummary() {
            return error == null ? null : error.lines().findFirst().orElse(error);
        }
    }

    /** A layer cache mode as the API shows it: lower case, like the other settings (placement, publish). */
    public static @Nullable String layerCacheOf(@Nullable LayerCache mode) {
        return mode == null ? null : mode.name().toLowerCase(Locale.ROOT);
    }

    public boolean ended() {
        return BuildStatus.valueOf(status).isTerminal();
    }

    /** Whether a page should follow it live: it runs, or a retry is about to re-open it. */
    public boolean live() {
        return !ended() || retryRequestedAt != null;
    }

    /**
     * Where a job's time went, in milliseconds, in the order it is spent; null where a phase was not measured (a
     * failure before it, a worker that predates phases, a platform that was not merged).
     */
    public record PhasesView(
            @Nullable Long queueWait,
            @Nullable Long claim,
            @Nullable Long fetch,
            @Nullable Long pull,
            @Nullable Long build,
            @Nullable Long push,
            @Nullable Long merge) {

        /** The measured phases by name ({@code queueWait}, …, {@code merge}), in order, for the build page. */
        public List<Map.Entry<String, Long>> measured() {
            List<Map.Entry<String, Long>> shown = new ArrayList<>();
            String[] names = {"queueWait", "claim", "fetch", "pull", "build", "push", "merge"};
            Long[] values = {queueWait, claim, fetch, pull, build, push, merge};
            for (int i = 0; i < names.length; i++) {
                if (values[i] != null) {
                    shown.add(Map.entry(names[i], values[i]));
                }
            }
            return shown;
        }
    }

    /**
     * What the layer cache did for one attempt, as the worker reported it.
     *
     * @param layerCache the mode the job ran with ({@code use}, {@code refresh}, {@code off}); null if the worker
     *                   named none the farm knows
     * @param store      the worker's image store the job built in ({@code <scope>/<platform>/<n>})
     * @param hits       steps that reused a cached layer
     * @param misses     steps that were built
     */
    public record CacheView(
            @Nullable String layerCache, @Nullable String store, long hits, long misses, List<CacheStepView> steps) {

        /** The steps buildah could cache; the page's "3 of 5 cached". */
        public int cacheable() {
            return steps.size();
        }
    }

    /** @param step as buildah numbers it ({@code 3/7}) */
    public record CacheStepView(
            @Nullable String step, @Nullable String instruction, boolean hit) {}

    public record ManifestListView(
            String digest, @Nullable String mediaType, List<String> tags, List<ManifestEntryView> entries) {}

    public record ManifestEntryView(String platform, String digest, long size, String mediaType) {}
}
