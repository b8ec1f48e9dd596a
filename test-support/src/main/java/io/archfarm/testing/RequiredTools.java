package io.archfarm.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tests run the real tools (buildah, skopeo, git, docker-registry, qemu). A missing one fails the test and names
 * what to install; it never skips the test, so a green run always means the tools were really exercised.
 */
public final class RequiredTools {

    private RequiredTools() {}

    /** Fails unless every tool is an executable on the PATH. */
    public static void require(String... tools) {
        List<String> missing =
                Arrays.stream(tools).filter(tool -> !onPath(tool)).toList();
        if (!missing.isEmpty()) {
            // every tool the tests use comes from the Debian/Ubuntu package of the same name
            throw new IllegalStateException("the tests need " + missing + " on the PATH " + System.getenv("PATH")
                    + "; install the Debian/Ubuntu packages " + String.join(" ", missing)
                    + " (./archfarm test installs all of them as root)");
        }
    }

    /** Fails unless each binfmt_misc entry exists and is enabled: without it the emulated platforms cannot run. */
    public static void requireEnabledBinfmt(String... entries) {
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
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
