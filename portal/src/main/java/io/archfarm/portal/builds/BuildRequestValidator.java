package io.archfarm.portal.builds;

import io.archfarm.model.ImageReference;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.model.UnknownPlatformException;
import io.archfarm.portal.git.RepositoryUrlPolicy;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Checks a build request field by field and collects every problem, each naming the value that is wrong. */
@Component
public class BuildRequestValidator {

    static final String DEFAULT_CONTAINERFILE = "Containerfile";
    static final String DEFAULT_CONTEXT = ".";
    static final List<String> DEFAULT_TAGS = List.of("latest");

    private static final Pattern BUILD_ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final RepositoryUrlPolicy repositories;
    private final ImageRegistries registries;

    BuildRequestValidator(RepositoryUrlPolicy repositories, ImageRegistries registries) {
        this.repositories = repositories;
        this.registries = registries;
    }

    public BuildSubmission validate(BuildRequestBody body) {
        if (body == null) {
            throw ApiProblem.badRequest("the request body is missing: expected a JSON build request");
        }
        List<FieldProblem> problems = new ArrayList<>();
        repositories.refusal(body.repository()).ifPresent(why -> problems.add(new FieldProblem("repository", why)));
        String ref = ref(body.ref(), problems);
        String containerfile = relativePath("containerfile", body.containerfile(), DEFAULT_CONTAINERFILE, problems);
        String context = relativePath("context", body.context(), DEFAULT_CONTEXT, problems);
        List<Platform> platforms = platforms(body.platforms(), problems);
        String image = image(body.image(), problems);
        List<String> tags = tags(body.tags(), problems);
        Map<String, String> buildArgs = buildArgs(body.buildArgs(), problems);
        Placement placement = parsed("placement", body.placement(), Placement.DEFAULT, Placement::parse, problems);
        Map<Platform, Placement> platformPlacement = platformPlacement(body.platformPlacement(), platforms, problems);
        PublishPolicy publish =
                parsed("publish", body.publish(), PublishPolicy.DEFAULT, PublishPolicy::parse, problems);
        String repository = body.repository();
        if (!problems.isEmpty() || repository == null || image == null) {
            // a missing repository or image is among the problems
            throw ApiProblem.invalidFields(problems);
        }
        return new BuildSubmission(
                repository,
                ref,
                containerfile,
                context,
                platforms,
                image,
                tags,
                buildArgs,
                placement,
                platformPlacement,
                publish,
                Boolean.TRUE.equals(body.noCache()));
    }

    private static @Nullable String ref(@Nullable String ref, List<FieldProblem> problems) {
        if (ref == null) {
            return null;
        }
        if (ref.isBlank() || ref.startsWith("-") || ref.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            problems.add(new FieldProblem("ref", "ref '" + ref + "' is not a branch, tag, ref name or commit id"));
        }
        return ref;
    }

    static Optional<String> pathRefusal(String field, String path) {
        if (path.isBlank() || path.indexOf('\0') >= 0) {
            return Optional.of(field + " '" + path + "' must be a non-empty relative path");
        }
        if (path.startsWith("/") || path.startsWith("\\")) {
            return Optional.of(field + " '" + path + "' must be relative to the repository root, not absolute");
        }
        for (String part : path.split("[/\\\\]")) {
            if (part.equals("..")) {
                return Optional.of(field + " '" + path + "' must not leave the repository with '..'");
            }
        }
        return Optional.empty();
    }

    private static String relativePath(
            String field, @Nullable String path, String fallback, List<FieldProblem> problems) {
        if (path == null) {
            return fallback;
        }
        pathRefusal(field, path).ifPresent(why -> problems.add(new FieldProblem(field, why)));
        return path;
    }

    private static List<Platform> platforms(@Nullable List<String> requested, List<FieldProblem> problems) {
        if (requested == null) {
            problems.add(new FieldProblem("platforms", "platforms is required, for example [\"linux/amd64\"]"));
            return List.of();
        }
        if (requested.isEmpty()) {
            problems.add(new FieldProblem("platforms", "platforms must name at least one platform"));
            return List.of();
        }
        return canonicalPlatforms(requested, problems);
    }

    /** Each value parsed to its canonical platform, duplicates dropped; a problem for each unknown one. */
    public static List<Platform> canonicalPlatforms(List<String> requested, List<FieldProblem> problems) {
        Set<Platform> platforms = new LinkedHashSet<>();
        for (String value : requested) {
            try {
                platforms.add(Platform.parse(value));
            } catch (UnknownPlatformException e) {
                problems.add(new FieldProblem("platforms", e.getMessage()));
            }
        }
        return List.copyOf(platforms);
    }

    /** Placements for single platforms, each of which must be one of the requested platforms. */
    private static Map<Platform, Placement> platformPlacement(
            @Nullable Map<String, String> requested, List<Platform> platforms, List<FieldProblem> problems) {
        if (requested == null) {
            return Map.of();
        }
        Map<Platform, Placement> placements = new LinkedHashMap<>();
        requested.forEach((name, value) -> {
            Platform platform;
            try {
                platform = Platform.parse(name);
            } catch (UnknownPlatformException e) {
                problems.add(new FieldProblem("platformPlacement", e.getMessage()));
                return;
            }
            if (!platforms.isEmpty() && !platforms.contains(platform)) {
                problems.add(new FieldProblem(
                        "platformPlacement",
                        "platformPlacement names '" + name + "', which is not one of the requested platforms "
                                + platforms));
                return;
            }
            Placement placement = parsed("platformPlacement", value, null, Placement::parse, problems);
            if (placement != null) {
                placements.put(platform, placement);
            }
        });
        return placements;
    }

    private @Nullable String image(@Nullable String image, List<FieldProblem> problems) {
        if (image == null || image.isBlank()) {
            problems.add(
                    new FieldProblem("image", "image is required, for example \"registry.example:5000/team/app\""));
            return image;
        }
        ImageReference.refusal(image)
                .or(() -> registries.refusal(image))
                .ifPresent(why -> problems.add(new FieldProblem("image", why)));
        return image;
    }

    private static List<String> tags(@Nullable List<String> tags, List<FieldProblem> problems) {
        if (tags == null) {
            return DEFAULT_TAGS;
        }
        if (tags.isEmpty()) {
            problems.add(new FieldProblem("tags", "tags must not be empty (leave it out for [\"latest\"])"));
        }
        return validTags(tags, problems);
    }

    /** The valid tags, duplicates dropped; a problem for each invalid one. */
    public static List<String> validTags(List<String> tags, List<FieldProblem> problems) {
        Set<String> unique = new LinkedHashSet<>();
        for (String tag : tags) {
            Optional<String> refusal =
                    tag == null ? Optional.of("tag null is not a valid tag") : ImageReference.tagRefusal(tag);
            refusal.ifPresentOrElse(why -> problems.add(new FieldProblem("tags", why)), () -> unique.add(tag));
        }
        return List.copyOf(unique);
    }

    private static Map<String, String> buildArgs(@Nullable Map<String, String> args, List<FieldProblem> problems) {
        if (args == null) {
            return Map.of();
        }
        Map<String, String> valid = new LinkedHashMap<>();
        args.forEach((name, value) -> {
            if (!BUILD_ARG_NAME.matcher(name).matches()) {
                problems.add(new FieldProblem(
                        "buildArgs", "build-arg name '" + name + "' is not valid: expected [A-Za-z_][A-Za-z0-9_]*"));
            } else if (value == null) {
                problems.add(new FieldProblem("buildArgs", "build-arg '" + name + "' has no value"));
            } else {
                valid.put(name, value);
            }
        });
        return valid;
    }

    private static <T extends @Nullable Object> T parsed(
            String field, @Nullable String value, T fallback, Function<String, T> parse, List<FieldProblem> problems) {
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, e.getMessage()));
            return fallback;
        }
    }
}
