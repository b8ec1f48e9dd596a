package io.archfarm.worker;

import io.archfarm.model.Platform;
import java.util.List;

/** What this worker builds: natively, under qemu, and how many jobs at once. Emulated never repeats a native one. */
public record Capabilities(List<Platform> nativePlatforms, List<Platform> emulatedPlatforms, int slots) {

    public Capabilities {
        List<Platform> natives = List.copyOf(nativePlatforms);
        emulatedPlatforms =
                emulatedPlatforms.stream().filter(p -> !natives.contains(p)).toList();
        nativePlatforms = natives;
    }

    public List<String> nativeNames() {
        return nativePlatforms.stream().map(Platform::toString).toList();
    }

    public List<String> emulatedNames() {
        return emulatedPlatforms.stream().map(Platform::toString).toList();
    }
}
