package io.archfarm.worker;

import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds what this host can build: the JVM's own architecture natively, and every architecture whose {@code qemu-*}
 * binfmt_misc entry is enabled under emulation. Configured lists replace detection.
 */
final class CapabilityDetection {

    static final String NONE = "none";

    private CapabilityDetection() {}

    static Capabilities of(WorkerProperties properties) {
        List<Platform> nativePlatforms = resolve(
                "archfarm.worker.native-platforms",
                properties.nativePlatforms(),
                () -> Platform.ofJvm().stream().toList());
        List<Platform> emulatedPlatforms = resolve(
                "archfarm.worker.emulated-platforms",
                properties.emulatedPlatforms(),
                () -> emulatedByBinfmt(properties.binfmtDir()));
        return new Capabilities(nativePlatforms, emulatedPlatforms, properties.slots());
    }

    /** Unset: detect. {@code none}: nothing. Else exactly the listed platforms, canonical and without repeats. */
    static List<Platform> resolve(String property, @Nullable List<String> configured, Supplier<List<Platform>> detect) {
        if (configured == null) {
            return detect.get();
        }
        List<String> values = configured.stream().map(String::trim).toList();
        if (values.size() == 1 && values.getFirst().equalsIgnoreCase(NONE)) {
            return List.of();
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(property + " is empty: list platforms, or say '" + NONE + "'");
        }
        return values.stream()
                .map(value -> parse(property, value))
                .distinct()
                .sorted()
                .toList();
    }

    private static Platform parse(String property, String value) {
        if (value.equalsIgnoreCase(NONE)) {
            throw new IllegalArgumentException(property + ": '" + NONE + "' cannot be combined with platforms");
        }
        try {
            return Platform.parse(value);
        } catch (UnknownPlatformException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    /** Platforms of the enabled {@code qemu-*} entries; a missing directory means no emulation. */
    static List<Platform> emulatedByBinfmt(Path binfmtDir) {
        if (!Files.isDirectory(binfmtDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(binfmtDir)) {
            return entries.filter(CapabilityDetection::isEnabled)
                    .map(entry -> Platform.ofQemuBinfmtEntry(entry.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .distinct()
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list binfmt_misc entries in " + binfmtDir, e);
        }
    }

    private static boolean isEnabled(Path entry) {
        if (!entry.getFileName().toString().startsWith("qemu-") || !Files.isRegularFile(entry)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(entry)) {
            return lines.findFirst().map(line -> line.trim().equals("enabled")).orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
