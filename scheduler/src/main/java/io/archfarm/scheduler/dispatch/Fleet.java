package io.archfarm.scheduler.dispatch;

import io.archfarm.model.Platform;
import java.util.Map;
import java.util.Set;

/**
 * What the online (not draining, not offline) workers can build, natively and under emulation, together and each.
 *
 * @param together what at least one of them builds
 * @param workers  each online worker by id, for the job's preferred worker (cache affinity)
 */
record Fleet(Worker together, Map<String, Worker> workers) {

    /** What one online worker (or the fleet together) builds. */
    record Worker(Set<Platform> nativePlatforms, Set<Platform> emulatedPlatforms) {

        Worker {
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

    Fleet {
        workers = Map.copyOf(workers);
    }

    Fleet(Set<Platform> nativePlatforms, Set<Platform> emulatedPlatforms, Map<String, Worker> workers) {
        this(new Worker(nativePlatforms, emulatedPlatforms), workers);
    }

    boolean buildsNatively(Platform platform) {
        return together.buildsNatively(platform);
    }

    boolean emulates(Platform platform) {
        return together.emulates(platform);
    }
}
