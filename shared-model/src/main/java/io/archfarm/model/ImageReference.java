package io.archfarm.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The repository a build pushes to, in the OCI distribution reference grammar, without tag or digest:
 * {@code 127.0.0.1:5000/demo/hello}. A first component with a dot or a port, or {@code localhost}, names the
 * registry; without one the image lives on Docker Hub ({@code hello} is {@code docker.io/library/hello}), as every
 * container tool reads it. The portal, the workers and the scheduler all read an image through this one class, so
 * that an image the portal accepts is the image the workers push and the scheduler merges.
 *
 * @param registry   {@code host[:port]}
 * @param repository the path inside the registry: {@code demo/hello}
 */
public record ImageReference(String registry, String repository) {

    public static final String DOCKER_HUB = "docker.io";

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final int MAX_NAME_LENGTH = 255;

    /** @throws IllegalArgumentException whose message names the image and what is wrong with it */
    public static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image must not be empty");
        }
        if (image.contains("@")) {
            throw invalid(image, "must not carry a digest: the farm pushes by digest itself");
        }
        if (image.indexOf(':', image.lastIndexOf('/') + 1) >= 0) {
            throw invalid(image, "must not carry a tag: put tags in 'tags'");
        }
        if (image.length() > MAX_NAME_LENGTH) {
            throw invalid(image, "is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] components = image.split("/", -1);
        boolean hasRegistry = components.length > 1 && looksLikeDomain(components[0]);
        if (hasRegistry && !DOMAIN.matcher(components[0]).matches()) {
            throw invalid(image, "has a malformed registry host '" + components[0] + "'");
        }
        for (int i = hasRegistry ? 1 : 0; i < components.length; i++) {
            if (!PATH_COMPONENT.matcher(components[i]).matches()) {
                throw invalid(
                        image,
                        "has a malformed path component '" + components[i]
                                + "': expected lower-case letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        if (!hasRegistry) {
            return new ImageReference(DOCKER_HUB, components.length == 1 ? "library/" + image : image);
        }
        return new ImageReference(components[0], image.substring(components[0].length() + 1));
    }

    /** Why {@code image} is not a repository the farm can push to, or empty when it is one. */
    public static Optional<String> refusal(String image) {
        try {
            parse(image);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Objects.requireNonNullElse(e.getMessage(), image + " is not an image reference"));
        }
    }

    /** Why {@code tag} is not a valid image tag, or empty when it is one. */
    public static Optional<String> tagRefusal(String tag) {
        return tag != null && TAG.matcher(tag).matches()
                ? Optional.empty()
                : Optional.of("tag '" + tag + "' is not a valid tag: expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    }

    /** The host that answers the registry API: Docker Hub's differs from its name. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** As the distribution reference does: a first component with a dot or port, or localhost, is a registry. */
    private static boolean looksLikeDomain(String component) {
        return component.contains(".")
                || component.contains(":")
                || component.equals("localhost")
                || !component.equals(component.toLowerCase(Locale.ROOT));
    }

    private static IllegalArgumentException invalid(String image, String why) {
        return new IllegalArgumentException("image '" + image + "' " + why);
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
