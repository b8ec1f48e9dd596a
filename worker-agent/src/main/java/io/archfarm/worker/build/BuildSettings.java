package io.archfarm.worker.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the build side of a worker is configured with.
 *
 * @param allowFileSubmodules whether git may fetch submodules from {@code file://} URLs (off: git's own default)
 * @param registriesConf the containers registries.conf that buildah uses (see {@link RegistriesConf})
 */
public record BuildSettings(
        String workerId,
        Path workDir,
        Path storageRoot,
        Duration gitTimeout,
        boolean allowFileUrls,
        boolean allowFileSubmodules,
        List<String> insecureRegistries,
        Path registriesConf) {

    public BuildSettings {
        insecureRegistries = List.copyOf(insecureRegistries);
    }
}
