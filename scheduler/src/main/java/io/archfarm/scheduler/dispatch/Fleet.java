package io.archfarm.scheduler.dispatch;

import io.archfarm.model.Platform;
import java.util.Set;

/** What the online (not draining, not offline) workers can build, natively and under emulation. */
record Fleet(Set<Platform> nativePlatforms, Set<Platform> emulatedPlatforms) {

    Fleet {
        nativePlatforms = Set.copyOf(nativePlatforms);
        emulatedPlatforms = Set.copyOf(emulatedPlatforms);
    }

    boolean buildsNatively(Platform platform) {
        return nativePlatforms.contains(platform);
    }

    boolean emulates(Platform platform) {
        return emulatedPlatforms.contains(platform);
    }
}
