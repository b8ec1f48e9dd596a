package io.archfarm.model;

/**
 * What a platform job does with its worker's layer cache. The cache of a worker is kept per team and per platform:
 * a job only ever sees layers that builds of its own team made on that worker for that platform.
 */
public enum LayerCache {
    /** Reuse the layers of earlier builds where the steps match, and keep the new ones ({@code buildah --layers}). */
    USE,
    /** Build every step again ({@code --no-cache}) and keep the new layers for later builds: a build asked for it. */
    REFRESH,
    /** Neither reuse nor keep layers: the project turned its cache off. Base images still stay pulled. */
    OFF;

    /** A project's setting and a build's {@code noCache} together. */
    public static LayerCache of(boolean projectCacheEnabled, boolean noCache) {
        if (!projectCacheEnabled) {
            return OFF;
        }
        return noCache ? REFRESH : USE;
    }
}
