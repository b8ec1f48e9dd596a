package io.archfarm.model.messages;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.archfarm.model.ExecutionMode;
import io.archfarm.model.LayerCache;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Scheduler → worker, on a job queue: build {@code platform} of {@code commit} and push it by digest to
 * {@code image}. The execution mode is {@code mode} when set (a job offered on one worker's own queue), else the
 * mode of the shared queue the worker took it from. A worker must be granted a
 * {@link ClaimRequest} for exactly this job and attempt before it starts.
 *
 * @param fetchSubmodules whether the worker also fetches the commit's submodules (recursively, shallow); a
 *                        message without this field (or with null) means false, so submodules are only
 *                        fetched when asked for
 * @param containerfile   path of the Containerfile relative to the repository root
 * @param context         build context directory relative to the repository root
 * @param image           repository reference without tag, for example {@code 127.0.0.1:5000/demo/hello}
 * @param cacheScope      whose layer cache the job may use and add to: the build's team id, or {@code adhoc} for a
 *                        build of no team; null (a scheduler before the layer cache) means {@code adhoc}
 * @param layerCache      what the job does with that cache; null (a scheduler before the layer cache) means
 *                        {@link LayerCache#OFF}
 * @param mode            the mode the worker claims with when the job was offered on its own queue; null on the
 *                        shared queues, whose name says the mode
 */
public record JobAssignment(
        UUID messageId,
        UUID jobId,
        UUID buildId,
        int attempt,
        String platform,
        String repository,
        String ref,
        String commit,
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean fetchSubmodules,
        String containerfile,
        String context,
        Map<String, String> buildArgs,
        String image,
        long timeoutSeconds,
        String cacheScope,
        LayerCache layerCache,
        @Nullable ExecutionMode mode)
        implements Message {

    /** The scope of builds that belong to no team. */
    public static final String NO_TEAM_SCOPE = "adhoc";

    public JobAssignment {
        // null from a scheduler before the layer cache (the message lacks the fields): never null once made
        cacheScope = cacheScope == null ? NO_TEAM_SCOPE : cacheScope;
        layerCache = layerCache == null ? LayerCache.OFF : layerCache;
    }

    /** An assignment that uses no layer cache, as schedulers before the layer cache sent. */
    public JobAssignment(
            UUID messageId,
            UUID jobId,
            UUID buildId,
            int attempt,
            String platform,
            String repository,
            String ref,
            String commit,
            boolean fetchSubmodules,
            String containerfile,
            String context,
            Map<String, String> buildArgs,
            String image,
            long timeoutSeconds) {
        this(
                messageId,
                jobId,
                buildId,
                attempt,
                platform,
                repository,
                ref,
                commit,
                fetchSubmodules,
                containerfile,
                context,
                buildArgs,
                image,
                timeoutSeconds,
                NO_TEAM_SCOPE,
                LayerCache.OFF,
                null);
    }

    /** An assignment for a shared job queue, whose name says the mode. */
    public JobAssignment(
            UUID messageId,
            UUID jobId,
            UUID buildId,
            int attempt,
            String platform,
            String repository,
            String ref,
            String commit,
            boolean fetchSubmodules,
            String containerfile,
            String context,
            Map<String, String> buildArgs,
            String image,
            long timeoutSeconds,
            String cacheScope,
            LayerCache layerCache) {
        this(
                messageId,
                jobId,
                buildId,
                attempt,
                platform,
                repository,
                ref,
                commit,
                fetchSubmodules,
                containerfile,
                context,
                buildArgs,
                image,
                timeoutSeconds,
                cacheScope,
                layerCache,
                null);
    }

    /** The same assignment, for one worker's own queue: it claims with {@code mode}. */
    public JobAssignment forWorker(ExecutionMode mode) {
        return new JobAssignment(
                messageId,
                jobId,
                buildId,
                attempt,
                platform,
                repository,
                ref,
                commit,
                fetchSubmodules,
                containerfile,
                context,
                buildArgs,
                image,
                timeoutSeconds,
                cacheScope,
                layerCache,
                mode);
    }
}
