package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed {@code buildah build} into a reason a person can act on: which step failed with which exit code,
 * or, when buildah itself broke (killed, out of disk), an INFRA_FAILED that another attempt may get past.
 */
final class BuildFailures {

    static final int TAIL_LINES = 20;
    private static final Pattern FAILED_STEP = Pattern.compile(
            "building at STEP \"(.+?)\": .*?(?:exit status|exit code:?) (\\d+)");
    private static final List<String> HOST_TROUBLE = List.of("no space left on device", "cannot allocate memory",
            "too many open files", "database is locked");

    private BuildFailures() {
    }

    static JobFailure of(int exitCode, List<String> lastLines) {
        String tail = String.join("\n", lastLines.subList(Math.max(0, lastLines.size() - TAIL_LINES),
                lastLines.size()));
        String exited = "buildah exited with code " + exitCode;
        if (exitCode > 128) {
            return new JobFailure(JobOutcome.INFRA_FAILED,
                    "buildah crashed (killed by signal " + (exitCode - 128) + "); " + exited + "\n" + tail, exitCode);
        }
        String lower = tail.toLowerCase(Locale.ROOT);
        for (String trouble : HOST_TROUBLE) {
            if (lower.contains(trouble)) {
                return new JobFailure(JobOutcome.INFRA_FAILED,
                        "the worker ran into '" + trouble + "'; " + exited + "\n" + tail, exitCode);
            }
        }
        for (int i = lastLines.size() - 1; i >= 0; i--) {
            Matcher step = FAILED_STEP.matcher(lastLines.get(i));
            if (step.find()) {
                return new JobFailure(JobOutcome.FAILED, "step failed: " + step.group(1) + " exited with code "
                        + step.group(2) + "; " + exited + "\n" + tail, exitCode);
            }
        }
        return new JobFailure(JobOutcome.FAILED, "build failed; " + exited + "\n" + tail, exitCode);
    }
}
