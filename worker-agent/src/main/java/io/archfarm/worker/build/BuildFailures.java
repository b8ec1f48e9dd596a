package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a failed {@code buildah build} into a reason a person can act on: which step failed with which exit code,
 * or, when buildah itself broke (killed, out of disk, its image store answering "image not known" or losing a
 * layer), an INFRA_FAILED that another attempt may get past.
 */
final class BuildFailures {

    static final int TAIL_LINES = 20;
    private static final Pattern FAILED_STEP =
            Pattern.compile("building at STEP \"(.+?)\": .*?(?:exit status|exit code:?) (\\d+)");
    private static final List<String> HOST_TROUBLE =
            List.of("no space left on device", "cannot allocate memory", "too many open files", "database is locked");
    /** containers/storage's own words for a store that lost an image, layer or container the build made or pulled. */
    private static final List<String> STORE_TROUBLE = List.of(
            "image not known",
            "layer not known",
            "parent of layer not known",
            "container not known",
            "layer content is missing",
            "error loading storage metadata",
            "that id is already in use",
            "layer is not mounted",
            "creating read-write layer");

    private static final Pattern BUILDAH_ERROR = Pattern.compile("^(?:Error|error):? ");
    /** Where buildah's error names the registry it could not reach for a {@code FROM} image. */
    private static final Pattern FROM_REGISTRY =
            Pattern.compile("(?:pinging container registry |docker://)([^/\\s:]+(?::\\d+)?)");

    private BuildFailures() {}

    static JobFailure of(int exitCode, List<String> lastLines) {
        String tail =
                String.join("\n", lastLines.subList(Math.max(0, lastLines.size() - TAIL_LINES), lastLines.size()));
        String exited = "buildah exited with code " + exitCode;
        if (exitCode > 128) {
            return new JobFailure(
                    JobOutcome.INFRA_FAILED,
                    "buildah crashed (killed by signal " + (exitCode - 128) + "); " + exited + "\n" + tail,
                    exitCode);
        }
        String lower = tail.toLowerCase(Locale.ROOT);
        for (String trouble : HOST_TROUBLE) {
            if (lower.contains(trouble)) {
                return new JobFailure(
                        JobOutcome.INFRA_FAILED,
                        "the worker ran into '" + trouble + "'; " + exited + "\n" + tail,
                        exitCode);
            }
        }
        for (int i = lastLines.size() - 1; i >= 0; i--) {
            Matcher step = FAILED_STEP.matcher(lastLines.get(i));
            if (step.find()) {
                return new JobFailure(
                        JobOutcome.FAILED,
                        "step failed: " + step.group(1) + " exited with code " + step.group(2) + "; " + exited + "\n"
                                + tail,
                        exitCode);
            }
        }
        String storeTrouble = storeTrouble(lastLines);
        if (storeTrouble != null) {
            return JobFailure.ofImageStore(
                    "the worker's image store failed ('" + storeTrouble + "'); " + exited + "\n" + tail, exitCode);
        }
        String registryTrouble = registryTrouble(lastLines);
        if (registryTrouble != null) {
            return new JobFailure(JobOutcome.INFRA_FAILED, registryTrouble + "; " + exited + "\n" + tail, exitCode);
        }
        return new JobFailure(JobOutcome.FAILED, "build failed; " + exited + "\n" + tail, exitCode);
    }

    /**
     * A registry that failed the pull of a {@code FROM} image for now (refused or reset the connection, timed out,
     * answered 5xx), as buildah's own last error line says after its three tries: the registry's trouble, not the
     * build's, so the attempt is retried. Null if that is not why buildah stopped.
     */
    private static @Nullable String registryTrouble(List<String> lastLines) {
        String line = lastBuildahError(lastLines);
        if (line == null) {
            return null;
        }
        Matcher registry = FROM_REGISTRY.matcher(line);
        return RegistryFailures.transientWords(line)
                .filter(words -> registry.find())
                .map(words ->
                        PartOutage.reason(PartOutage.REGISTRY, registry.group(1), "the pull of a FROM image", words))
                .orElse(null);
    }

    private static @Nullable String lastBuildahError(List<String> lastLines) {
        for (int i = lastLines.size() - 1; i >= 0; i--) {
            if (BUILDAH_ERROR.matcher(lastLines.get(i)).find()) {
                return lastLines.get(i);
            }
        }
        return null;
    }

    /** The store error in buildah's own error line, never in what a RUN step printed; null if there is none. */
    private static @Nullable String storeTrouble(List<String> lastLines) {
        String line = lastBuildahError(lastLines);
        if (line == null) {
            return null;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        return STORE_TROUBLE.stream().filter(lower::contains).findFirst().orElse(null);
    }
}
