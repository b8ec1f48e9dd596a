package io.archfarm.portal.projects;

import io.archfarm.model.Placement;
import io.archfarm.model.PublishPolicy;
import io.archfarm.portal.forge.Forge;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A project's settings as the pages' form holds them: every field exactly as the person typed it, so that a refused
 * form comes back as it was sent. Lists are one entry per line (platforms may also be separated by commas), maps one
 * {@code NAME=value} per line. The forge token is write-only and never put back into the page.
 */
record ProjectForm(
        @Nullable String slug,
        @Nullable String repository,
        @Nullable String defaultBranch,
        @Nullable String containerfile,
        @Nullable String context,
        @Nullable String platforms,
        @Nullable String placement,
        @Nullable String platformPlacement,
        @Nullable String image,
        @Nullable String tagTemplates,
        @Nullable String branchFilters,
        @Nullable String tagFilters,
        @Nullable String buildArgs,
        @Nullable String publish,
        @Nullable String fetchSubmodules,
        @Nullable String layerCache,
        @Nullable String cancelSuperseded,
        @Nullable String forge,
        @Nullable String forgeApiUrl,
        @Nullable String forgeRepository,
        @Nullable String forgeToken) {

    /** The API's names of the fields this form shows, for its error messages; a new project also has {@code slug}. */
    static final List<String> FIELDS = List.of(
            "slug",
            "repository",
            "defaultBranch",
            "containerfile",
            "context",
            "platforms",
            "placement",
            "platformPlacement",
            "image",
            "tagTemplates",
            "branchFilters",
            "tagFilters",
            "buildArgs",
            "publish",
            "fetchSubmodules",
            "layerCache",
            "cancelSuperseded",
            "commitStatus.forge",
            "commitStatus.apiUrl",
            "commitStatus.repository",
            "commitStatus.token");

    /** Where a message about no field of the form goes. */
    static final String ELSEWHERE = "form";

    /** What the form's selects offer, in the API's words; "" is "no commit statuses". */
    static final Choices CHOICES = new Choices(
            Arrays.stream(Placement.values()).map(Placement::wireName).toList(),
            Arrays.stream(PublishPolicy.values()).map(PublishPolicy::wireName).toList(),
            Stream.concat(Stream.of(""), Arrays.stream(Forge.values()).map(Forge::wireName))
                    .toList());

    /** What a new project's form starts with: the API's defaults, so that nothing is hidden from the maintainer. */
    static ProjectForm defaults() {
        return new ProjectForm(
                "",
                "",
                ProjectValidator.DEFAULT_BRANCH,
                "Containerfile",
                ".",
                "",
                Placement.DEFAULT.wireName(),
                "",
                "",
                lines(ProjectValidator.DEFAULT_TAG_TEMPLATES),
                "",
                lines(ProjectValidator.DEFAULT_TAG_FILTERS),
                "",
                PublishPolicy.DEFAULT.wireName(),
                null,
                "true",
                null,
                "",
                "",
                "",
                "");
    }

    /** The project's current settings. */
    static ProjectForm of(ProjectView view) {
        ProjectView.CommitStatusView status = view.commitStatus();
        return new ProjectForm(
                view.slug(),
                view.repository(),
                view.defaultBranch(),
                view.containerfile(),
                view.context(),
                String.join(", ", view.platforms()),
                view.placement(),
                pairs(view.platformPlacement()),
                view.image(),
                lines(view.tagTemplates()),
                lines(view.branchFilters()),
                lines(view.tagFilters()),
                pairs(new TreeMap<>(view.buildArgs())),
                view.publish(),
                view.fetchSubmodules() ? "true" : null,
                view.layerCache() ? "true" : null,
                view.cancelSuperseded() ? "true" : null,
                status == null ? "" : status.forge(),
                status == null ? "" : status.apiUrl(),
                status == null ? "" : status.repository(),
                "");
    }

    /**
     * The body the API would have received. Empty text fields and fields not sent are left out (the API's defaults
     * apply); an empty list is empty, because an empty filter list means "build no such ref" — except the branch
     * filters of a new project, which then default to its default branch, as in the API.
     */
    ProjectBody toBody(boolean creating) {
        return new ProjectBody(
                creating ? orNull(slug) : null,
                orNull(repository),
                orNull(defaultBranch),
                orNull(containerfile),
                orNull(context),
                platformList(platforms),
                orNull(placement),
                placements(platformPlacement),
                orNull(image),
                lineList(tagTemplates),
                creating && blank(branchFilters) ? null : lineList(branchFilters),
                lineList(tagFilters),
                buildArgMap(buildArgs),
                orNull(publish),
                checked(fetchSubmodules),
                checked(layerCache),
                checked(cancelSuperseded),
                commitStatus());
    }

    public boolean fetchesSubmodules() {
        return checked(fetchSubmodules);
    }

    /**
     * A checkbox sends nothing when it is cleared, so the form always says what it shows: a cleared "Layer cache"
     * turns the cache off rather than falling back to the API's default, which is on.
     */
    public boolean usesLayerCache() {
        return checked(layerCache);
    }

    public boolean cancelsSuperseded() {
        return checked(cancelSuperseded);
    }

    private ProjectBody.@Nullable CommitStatusBody commitStatus() {
        if (blank(forge) && blank(forgeApiUrl) && blank(forgeRepository) && blank(forgeToken)) {
            return null;
        }
        return new ProjectBody.CommitStatusBody(
                forge == null ? "" : forge.strip(), orNull(forgeApiUrl), orNull(forgeRepository), orNull(forgeToken));
    }

    private static boolean checked(@Nullable String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("on"));
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static @Nullable String orNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A field the request did not send at all is left out (the API's default); an empty one is an empty list. */
    private static @Nullable List<String> lineList(@Nullable String text) {
        return text == null
                ? null
                : text.lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .toList();
    }

    private static @Nullable List<String> platformList(@Nullable String text) {
        return text == null || text.isBlank()
                ? null
                : Arrays.stream(text.strip().split("[,\\s]+"))
                        .filter(p -> !p.isEmpty())
                        .toList();
    }

    /** {@code linux/s390x=native-only} per line; a line without '=' gets an empty placement, which the API names. */
    private static @Nullable Map<String, String> placements(@Nullable String text) {
        if (text == null) {
            return null;
        }
        List<String> lines = lineList(text);
        if (lines == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        lines.forEach(line -> {
            int eq = line.indexOf('=');
            map.put(
                    (eq < 0 ? line : line.substring(0, eq)).strip(),
                    eq < 0 ? "" : line.substring(eq + 1).strip());
        });
        return map;
    }

    /** {@code NAME=value} per line; the value is kept as typed, a line without '=' is a build arg without a value. */
    private static @Nullable Map<String, String> buildArgMap(@Nullable String text) {
        if (text == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        text.lines().filter(line -> !line.isBlank()).forEach(line -> {
            int eq = line.indexOf('=');
            map.put((eq < 0 ? line : line.substring(0, eq)).strip(), eq < 0 ? null : line.substring(eq + 1));
        });
        return map;
    }

    private static String lines(List<String> values) {
        return String.join("\n", values);
    }

    record Choices(List<String> placements, List<String> publishPolicies, List<String> forges) {}

    private static String pairs(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }
}
