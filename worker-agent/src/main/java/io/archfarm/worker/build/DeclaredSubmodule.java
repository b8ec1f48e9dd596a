package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One submodule that a commit's {@code .gitmodules} declares. The file is read by git itself ({@code git config
 * --file}), so its syntax is git's; a {@code .gitmodules} that is a symbolic link is not read at all, because it
 * could point anywhere on the build host.
 *
 * @param url as written in {@code .gitmodules}, or null when the entry has none
 */
record DeclaredSubmodule(String name, String path, @Nullable String url) {

    private static final String PREFIX = "submodule.";

    /** A URL such as {@code ../lib.git} is resolved by git against the repository's own URL. */
    boolean relativeUrl() {
        return url != null && (url.startsWith("./") || url.startsWith("../"));
    }

    static boolean declaredIn(Path checkout) {
        return Files.isRegularFile(checkout.resolve(".gitmodules"), LinkOption.NOFOLLOW_LINKS);
    }

    /** The submodules with a path, in the order of the file; empty when there is no {@code .gitmodules}. */
    static List<DeclaredSubmodule> readFrom(Git git, Attempt attempt, Path checkout) throws JobFailure {
        if (!declaredIn(checkout)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        ProcessResult result = git.read(
                attempt,
                checkout,
                lines::add,
                "config",
                "--file",
                ".gitmodules",
                "--get-regexp",
                "^submodule\\..*\\.(path|url)$");
        // exit code 1: the file declares no submodule path or url
        if (result.exitCode() == 1 && lines.isEmpty()) {
            return List.of();
        }
        if (!result.succeeded()) {
            throw new JobFailure(JobOutcome.FAILED, ".gitmodules cannot be read: " + result.lastLine());
        }
        return parse(lines);
    }

    /** Lines of {@code git config --get-regexp}: {@code submodule.<name>.<path|url> <value>}. */
    static List<DeclaredSubmodule> parse(List<String> lines) {
        Map<String, String[]> byName = new LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            int lastDot = key.lastIndexOf('.');
            if (!key.startsWith(PREFIX) || lastDot <= PREFIX.length()) {
                continue;
            }
            String[] pathAndUrl = byName.computeIfAbsent(key.substring(PREFIX.length(), lastDot), n -> new String[2]);
            pathAndUrl[key.endsWith(".path") ? 0 : 1] = space < 0 ? "" : line.substring(space + 1);
        }
        List<DeclaredSubmodule> declared = new ArrayList<>();
        byName.forEach((name, pathAndUrl) -> {
            if (pathAndUrl[0] != null && !pathAndUrl[0].isBlank()) {
                declared.add(new DeclaredSubmodule(name, pathAndUrl[0], pathAndUrl[1]));
            }
        });
        return List.copyOf(declared);
    }
}
