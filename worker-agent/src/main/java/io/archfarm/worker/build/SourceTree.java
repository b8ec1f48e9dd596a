package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The Containerfile and context of a job, checked to exist inside the checkout and not to escape it. */
record SourceTree(Path containerfile, Path context) {

    static SourceTree locate(Path checkout, String containerfile, String context, String commit) throws JobFailure {
        String file = containerfile == null || containerfile.isBlank() ? "Containerfile" : containerfile;
        String dir = context == null || context.isBlank() ? "." : context;
        Path root = realPath(checkout);
        Path foundFile = inside(root, file);
        if (foundFile == null || !Files.isRegularFile(foundFile)) {
            throw new JobFailure(
                    JobOutcome.FAILED, "Containerfile '" + file + "' not found in commit " + abbreviate(commit));
        }
        Path foundContext = inside(root, dir);
        if (foundContext == null || !Files.isDirectory(foundContext)) {
            throw new JobFailure(
                    JobOutcome.FAILED, "context directory '" + dir + "' not found in commit " + abbreviate(commit));
        }
        return new SourceTree(foundFile, foundContext);
    }

    /** The real path of {@code relative} under {@code root}, or null when it is missing or leads outside. */
    private static @Nullable Path inside(Path root, String relative) {
        try {
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.exists(candidate)) {
                return null;
            }
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path realPath(Path checkout) throws JobFailure {
        try {
            return checkout.toRealPath();
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "the checkout " + checkout + " is gone: " + e);
        }
    }

    static String abbreviate(String commit) {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }
}
