package io.archfarm.scheduler.jobs;

/**
 * What a worker reported about an attempt that ended, as {@code platform_jobs} keeps it. The image is kept only when
 * the job SUCCEEDED; phases are millis measured on the worker, null where it did not measure.
 *
 * @param cacheJson the layer cache's report as {@code platform_jobs.cache} keeps it, or null
 */
public record JobEnd(
        String digest,
        Long size,
        String mediaType,
        String error,
        Integer exitCode,
        Long buildMillis,
        String isolation,
        Long claimMillis,
        Long fetchMillis,
        Long pullMillis,
        Long buildPhaseMillis,
        Long pushMillis,
        String cacheJson) {
}
