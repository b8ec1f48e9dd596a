package io.archfarm.worker.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the build side of a worker is configured with.
 *
 * @param registriesConf the containers registries.conf that buildah uses (see {@link RegistriesConf})
 */
public record BuildSettings(
        String workerId,
        Path workDir,
        Path storageRoot,
        Duration gitTimeout,
        boolean allowFileUrls,
        List<String> insecureRegistries,
        Path registriesConf) {

    public BuildSettings {
        insecureRegistries = List.copyOf(insecureRegistries);
    }
}
