package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl build}: a build of any repository ({@code POST /api/v1/builds}), named like {@code podman build}'s
 * flags, or of a project with its settings ({@code POST /api/v1/projects/{team}/{project}/builds}); with
 * {@code --follow}, followed to its end.
 */
@Command(
        name = "build",
        sortOptions = false,
        customSynopsis = {
            "afctl build --platform P[,P...] --tag REG/IMG[:TAG]... [OPTIONS] REPO [REF]",
            "       afctl build --project TEAM/PROJECT [--platform P[,P...]] [--tag TAG]... [OPTIONS] [REF]"
        },
        header = "Build a multi-platform image on the farm.",
        description = "Builds a git repository (REPO at REF, by default its HEAD branch), or a project with its own "
                + "settings. Prints the accepted build; --follow shows its progress per platform and ends with its "
                + "manifest list and an exit code for how it ended (0 SUCCEEDED, 4 FAILED, 5 PARTIAL, 6 CANCELLED).")
public final class BuildCommand implements Callable<Integer> {

    @Option(
            names = "--platform",
            split = ",",
            paramLabel = "PLATFORM",
            description = "platforms to build, e.g. linux/amd64,linux/arm64 (required for REPO)")
    List<String> platforms = new ArrayList<>();

    @Option(
            names = {"-t", "--tag"},
            paramLabel = "IMAGE",
            description = "REG/IMG[:TAG] to publish the manifest list as (repeatable, one repository); "
                    + "with --project only tag names")
    List<String> tags = new ArrayList<>();

    @Option(
            names = {"-f", "--file"},
            paramLabel = "PATH",
            description = "the Containerfile, relative to the repository (default Containerfile)")
    @Nullable
    String file;

    @Option(names = "--context", paramLabel = "DIR", description = "the build context in the repository (default .)")
    @Nullable
    String context;

    @Option(names = "--build-arg", paramLabel = "NAME=VALUE", description = "a build argument (repeatable)")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(
            names = "--placement",
            paramLabel = "[PLATFORM=]HOW",
            description =
                    "native-preferred (default), native-only or any; PLATFORM=HOW for one platform " + "(repeatable)")
    List<String> placements = new ArrayList<>();

    @Option(
            names = "--publish",
            paramLabel = "POLICY",
            description = "all (default: nothing unless every platform succeeds) or partial")
    @Nullable
    String publish;

    @Option(names = "--no-cache", description = "build every step again instead of reusing cached layers")
    boolean noCache;

    @Option(names = "--team", paramLabel = "TEAM", description = "the team the build belongs to (admins may omit it)")
    @Nullable
    String team;

    @Option(names = "--project", paramLabel = "TEAM/PROJECT", description = "build a project with its settings")
    @Nullable
    String project;

    @Option(names = "--follow", description = "follow the build to its end; the exit code says how it ended")
    boolean follow;

    @Option(
            names = {"-q", "--quiet"},
            description = "print only the build's id")
    boolean quiet;

    @Mixin
    FollowOptions followOptions;

    @Mixin
    OutputOption output;

    @Parameters(
            arity = "0..2",
            paramLabel = "REPO|REF",
            description = "the git repository (https://…, git://…) and the branch, tag or commit to build")
    List<String> arguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final Invocation invocation;

    BuildCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        if (quiet && (follow || output.json())) {
            throw usage("--quiet prints only the id: it cannot be used with --follow or --output json");
        }
        JsonNode accepted = project == null ? submitRepository() : submitProject(project);
        String id = accepted.path("id").asString();
        if (follow) {
            if (!output.json()) {
                invocation.out().println("Build " + id + " accepted; following it.");
            }
            return new FollowBuild(invocation).follow(id, followOptions.progress, output.json());
        }
        if (output.json()) {
            invocation.out().println(Json.pretty(accepted));
        } else if (quiet) {
            invocation.out().println(id);
        } else {
            Build build = Build.of(accepted);
            invocation
                    .out()
                    .println("Build " + id + " accepted: " + build.title() + " " + build.status() + " ("
                            + String.join(
                                    ", ",
                                    build.platforms().stream()
                                            .map(Build.PlatformJob::platform)
                                            .toList()) + ")");
            invocation.out().println("Follow it with: afctl follow " + id);
        }
        return ExitCodes.OK;
    }

    private JsonNode submitRepository() {
        if (arguments.isEmpty()) {
            throw usage("REPO is missing: the git repository to build (or --project TEAM/PROJECT)");
        }
        if (platforms.isEmpty()) {
            throw usage("--platform is missing: the platforms to build, e.g. --platform linux/amd64,linux/arm64");
        }
        if (tags.isEmpty()) {
            throw usage("--tag is missing: the image to publish, e.g. --tag registry.example:5000/team/app:1.0");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("team", team);
        request.put("repository", arguments.get(0));
        request.put("ref", arguments.size() > 1 ? arguments.get(1) : null);
        request.put("containerfile", file);
        request.put("context", context);
        request.put("platforms", platforms);
        ImageTags image = ImageTags.of(tags, this::usage);
        request.put("image", image.repository());
        request.put("tags", image.tags());
        request.put("buildArgs", buildArgs.isEmpty() ? null : buildArgs);
        placement(request);
        request.put("publish", publish);
        request.put("noCache", noCache ? Boolean.TRUE : null);
        request.values().removeIf(value -> value == null);
        return invocation.api().post("/api/v1/builds", request);
    }

    private void placement(Map<String, Object> request) {
        Map<String, String> perPlatform = new LinkedHashMap<>();
        for (String placement : placements) {
            int equals = placement.indexOf('=');
            if (equals < 0) {
                if (request.containsKey("placement")) {
                    throw usage("--placement without PLATFORM= given twice: " + request.get("placement") + " and "
                            + placement);
                }
                request.put("placement", placement);
            } else {
                perPlatform.put(placement.substring(0, equals), placement.substring(equals + 1));
            }
        }
        request.put("platformPlacement", perPlatform.isEmpty() ? null : perPlatform);
    }

    private JsonNode submitProject(String project) {
        String[] names = project.split("/", -1);
        if (names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
            throw usage("--project takes TEAM/PROJECT, not '" + project + "'");
        }
        if (arguments.size() > 1) {
            throw usage("with --project, the only argument is the REF to build; the repository is the project's");
        }
        List<String> settings = new ArrayList<>();
        addIf(settings, file != null, "--file");
        addIf(settings, context != null, "--context");
        addIf(settings, !buildArgs.isEmpty(), "--build-arg");
        addIf(settings, !placements.isEmpty(), "--placement");
        addIf(settings, publish != null, "--publish");
        addIf(settings, team != null, "--team");
        if (!settings.isEmpty()) {
            throw usage(String.join(", ", settings) + " cannot be used with --project: the project's settings apply");
        }
        Set<String> tagNames = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag.contains("/") || tag.contains(":") || tag.contains("@")) {
                throw usage("with --project, --tag takes tag names such as 1.0 (the image is the project's), not '"
                        + tag + "'");
            }
            tagNames.add(tag);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ref", arguments.isEmpty() ? null : arguments.getFirst());
        request.put("platforms", platforms.isEmpty() ? null : platforms);
        request.put("tags", tagNames.isEmpty() ? null : List.copyOf(tagNames));
        request.put("noCache", noCache ? Boolean.TRUE : null);
        request.values().removeIf(value -> value == null);
        return invocation
                .api()
                .post(
                        "/api/v1/projects/" + Query.segment(names[0]) + "/" + Query.segment(names[1]) + "/builds",
                        request);
    }

    private static void addIf(List<String> names, boolean given, String name) {
        if (given) {
            names.add(name);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
