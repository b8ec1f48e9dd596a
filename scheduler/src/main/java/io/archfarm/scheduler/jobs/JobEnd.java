package io.archfarm.scheduler.jobs;

import org.jspecify.annotations.Nullable;

/**
 * What a worker reported about an attempt that ended, as {@code platform_jobs} keeps it. The image is kept only when
 * the job SUCCEEDED; phases are millis measured on the worker, null where it did not measure.
 *
 * @param cacheJson the layer cache's report as {@code platform_jobs.cache} keeps it, or null
 */
public record JobEnd(
        @Nullable String digest,
        @Nullable Long size,
        @Nullable String mediaType,
        @Nullable String error,
        @Nullable Integer exitCode,
        @Nullable Long buildMillis,
        @Nullable String isolation,
        @Nullable Long claimMillis,
        @Nullable Long fetchMillis,
        @Nullable Long pullMillis,
        @Nullable Long buildPhaseMillis,
        @Nullable Long pushMillis,
        @Nullable String cacheJson) {}
