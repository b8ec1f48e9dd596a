package io.archfarm.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The binaries the farm runs; a missing one fails the tests with its name, it never skips them. */
final class RequiredTools {

    private RequiredTools() {
    }

    static void require(String... tools) {
        List<String> missing = Arrays.stream(tools).filter(tool -> !onPath(tool)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the end-to-end tests need " + missing + " on the PATH; install them "
                    + "(./archfarm test does it on Debian/Ubuntu as root: buildah skopeo qemu-user-static "
                    + "binfmt-support docker-registry git)");
        }
    }

    /** qemu must be registered with binfmt_misc for the emulated platforms. */
    static void requireEnabledBinfmt(String... entries) {
        for (String entry : entries) {
            Path file = Path.of("/proc/sys/fs/binfmt_misc", entry);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("binfmt_misc entry " + file + " is missing: install qemu-user-static "
                        + "and binfmt-support, mount binfmt_misc, run update-binfmts --enable");
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (lines.isEmpty() || !lines.getFirst().equals("enabled")) {
                throw new IllegalStateException(file + " is not enabled: run update-binfmts --enable");
            }
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool))
                .anyMatch(Files::isExecutable);
    }
}
