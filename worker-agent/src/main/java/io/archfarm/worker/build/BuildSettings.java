package io.archfarm.worker.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the build side of a worker is configured with.
 *
 * @param allowFileSubmodules whether git may fetch submodules from {@code file://} URLs (off: git's own default)
 * @param containersHome      the HOME buildah and skopeo run with: it holds the worker's registries.conf drop-in
 *                            (see {@link RegistriesConf}) and nothing else
 * @param hostAuthFile        the host's containers auth file, if it has one: passed to buildah and skopeo, and the
 *                            base of a job's own auth file when the job brings its project's credential
 * @param certsDir            a {@code certs.d} root other than the tools' own {@code /etc/containers/certs.d}, or
 *                            null: a registry's CAs are in {@code <certsDir>/<host[:port]>/}
 * @param allowedGitHosts     {@code archfarm.git.allowed-hosts}: internal hosts that repository and submodule URLs
 *                            may reach (host names, IP addresses, CIDR blocks), as the portal's setting of that name
 * @param allowedRegistries   {@code archfarm.registry.allowed-hosts}: internal registries an image may name
 *                            ({@code host:port}, or hosts as above); the insecure registries are allowed as well
 * @param gitCacheMaxBytes    {@code archfarm.git.cache-max-size} in bytes; 0 turns the git cache off (the mirrors
 *                            are under {@code <workDir>/git-cache})
 * @param storageDriver       the driver of the image stores, chosen at start ({@link StorageDriverDetection}); the
 *                            shorter constructors keep vfs, what every worker used before overlay
 * @param layerCacheMaxBytes  {@code archfarm.worker.layer-cache-max-size} in bytes: how much disk the image stores
 *                            (base images and cached layers of every team and platform) may use together before the
 *                            least recently used images are evicted ({@link EvictLayerCache})
 */
public record BuildSettings(
        String workerId,
        Path workDir,
        Path storageRoot,
        Duration gitTimeout,
        boolean allowFileUrls,
        boolean allowFileSubmodules,
        List<String> insecureRegistries,
        Path containersHome,
        @Nullable Path hostAuthFile,
        @Nullable Path certsDir,
        List<String> allowedGitHosts,
        List<String> allowedRegistries,
        long gitCacheMaxBytes,
        StorageDriver storageDriver,
        long layerCacheMaxBytes) {

    /** The git cache's size when nothing says otherwise: 5 GiB. */
    public static final long DEFAULT_GIT_CACHE_BYTES = 5L << 30;
    /** The image stores' size when nothing says otherwise: 20 GiB, as {@code 20GB} is to Spring. */
    public static final long DEFAULT_LAYER_CACHE_BYTES = 20L << 30;

    /** Image stores of the default size. */
    public BuildSettings(
            String workerId,
            Path workDir,
            Path storageRoot,
            Duration gitTimeout,
            boolean allowFileUrls,
            boolean allowFileSubmodules,
            List<String> insecureRegistries,
            Path containersHome,
            @Nullable Path hostAuthFile,
            @Nullable Path certsDir,
            List<String> allowedGitHosts,
            List<String> allowedRegistries,
            long gitCacheMaxBytes,
            StorageDriver storageDriver) {
        this(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                allowedGitHosts,
                allowedRegistries,
                gitCacheMaxBytes,
                storageDriver,
                DEFAULT_LAYER_CACHE_BYTES);
    }

    public BuildSettings {
        insecureRegistries = List.copyOf(insecureRegistries);
        allowedGitHosts = List.copyOf(allowedGitHosts);
        allowedRegistries = List.copyOf(allowedRegistries);
        storageDriver = storageDriver == null ? StorageDriver.VFS : storageDriver;
    }

    /** A git cache of the default size and vfs image stores. */
    public BuildSettings(
            String workerId,
            Path workDir,
            Path storageRoot,
            Duration gitTimeout,
            boolean allowFileUrls,
            boolean allowFileSubmodules,
            List<String> insecureRegistries,
            Path containersHome,
            @Nullable Path hostAuthFile,
            @Nullable Path certsDir,
            List<String> allowedGitHosts,
            List<String> allowedRegistries) {
        this(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                allowedGitHosts,
                allowedRegistries,
                DEFAULT_GIT_CACHE_BYTES,
                StorageDriver.VFS);
    }

    /** No internal host allowed beyond the insecure registries. */
    public BuildSettings(
            String workerId,
            Path workDir,
            Path storageRoot,
            Duration gitTimeout,
            boolean allowFileUrls,
            boolean allowFileSubmodules,
            List<String> insecureRegistries,
            Path containersHome,
            @Nullable Path hostAuthFile,
            @Nullable Path certsDir) {
        this(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                List.of(),
                List.of());
    }

    public BuildSettings(
            String workerId,
            Path workDir,
            Path storageRoot,
            Duration gitTimeout,
            boolean allowFileUrls,
            boolean allowFileSubmodules,
            List<String> insecureRegistries,
            Path containersHome) {
        this(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                null,
                null);
    }

    /** These settings with {@code archfarm.git.allowed-hosts} and {@code archfarm.registry.allowed-hosts}. */
    public BuildSettings withAllowedHosts(List<String> gitHosts, List<String> registries) {
        return new BuildSettings(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                gitHosts,
                registries,
                gitCacheMaxBytes,
                storageDriver,
                layerCacheMaxBytes);
    }

    /** These settings with a git cache of at most {@code maxBytes}, or none when it is 0. */
    public BuildSettings withGitCache(long maxBytes) {
        return new BuildSettings(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                allowedGitHosts,
                allowedRegistries,
                maxBytes,
                storageDriver,
                layerCacheMaxBytes);
    }

    /** These settings with image stores of {@code driver}. */
    public BuildSettings withStorageDriver(StorageDriver driver) {
        return new BuildSettings(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                allowedGitHosts,
                allowedRegistries,
                gitCacheMaxBytes,
                driver,
                layerCacheMaxBytes);
    }

    /** These settings with image stores of at most {@code maxBytes} together. */
    public BuildSettings withLayerCache(long maxBytes) {
        return new BuildSettings(
                workerId,
                workDir,
                storageRoot,
                gitTimeout,
                allowFileUrls,
                allowFileSubmodules,
                insecureRegistries,
                containersHome,
                hostAuthFile,
                certsDir,
                allowedGitHosts,
                allowedRegistries,
                gitCacheMaxBytes,
                storageDriver,
                maxBytes);
    }

    /** Where the mirrors of the git cache are, or null when it is off. */
    @Nullable
    Path gitCacheRoot() {
        return gitCacheMaxBytes > 0 ? workDir.resolve("git-cache") : null;
    }
}
