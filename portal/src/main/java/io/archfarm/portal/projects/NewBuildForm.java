package io.archfarm.portal.projects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The new-build form as typed: a project and a ref, or an ad-hoc repository with its image; tags one per line and
 * build arguments {@code NAME=value} one per line. Empty fields mean "the default", as in the API. {@code noCache}
 * is the "without cache" checkbox: sent as {@code true} when ticked, absent otherwise.
 */
public record NewBuildForm(
        @Nullable String project,
        @Nullable String ref,
        @Nullable String team,
        @Nullable String repository,
        @Nullable String image,
        @Nullable String containerfile,
        @Nullable String context,
        @Nullable List<String> platforms,
        @Nullable String placement,
        @Nullable String publish,
        @Nullable String tags,
        @Nullable String buildArgs,
        @Nullable String noCache) {

    static NewBuildForm blank(String project, String team) {
        return new NewBuildForm(
                project, "", team, "", "", "Containerfile", ".", List.of(), "native-preferred", "all", "", "", null);
    }

    /** Whether "without cache" is ticked: every step built again, as {@code noCache} in the API. */
    public boolean withoutCache() {
        return noCache != null && (noCache.equalsIgnoreCase("true") || noCache.equalsIgnoreCase("on"));
    }

    boolean forProject() {
        return project != null && !project.isBlank();
    }

    /** The project's team and slug from "team/project". */
    String[] projectPath() {
        return (project == null ? "" : project).split("/", 2);
    }

    @Nullable
    List<String> platformList() {
        return platforms == null || platforms.isEmpty() ? null : platforms;
    }

    @Nullable
    List<String> tagList() {
        List<String> list = lines(tags);
        return list.isEmpty() ? null : list;
    }

    /** Lines without '=' are kept whole as a name, so that the validator names them. */
    @Nullable
    Map<String, String> buildArgMap() {
        Map<String, String> args = new LinkedHashMap<>();
        for (String line : lines(buildArgs)) {
            int eq = line.indexOf('=');
            args.put(eq < 0 ? line : line.substring(0, eq).trim(), eq < 0 ? "" : line.substring(eq + 1));
        }
        return args.isEmpty() ? null : args;
    }

    public boolean hasPlatform(String platform) {
        return platforms != null && platforms.contains(platform);
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static List<String> lines(@Nullable String text) {
        List<String> lines = new ArrayList<>();
        if (text != null) {
            text.lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(lines::add);
        }
        return lines;
    }
}
