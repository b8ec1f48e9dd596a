package io.archfarm.worker.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The integration tests run the real tools; a missing one fails the test saying which, it is never skipped. */
public final class RequiredTools {

    private RequiredTools() {
    }

    public static void require(String... tools) {
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                fail("'" + tool + "' is not installed (not on PATH " + System.getenv("PATH") + "); the worker's "
                        + "integration tests need buildah, skopeo, git and docker-registry (Debian packages "
                        + "buildah, skopeo, git, docker-registry)");
            }
        }
    }
}
