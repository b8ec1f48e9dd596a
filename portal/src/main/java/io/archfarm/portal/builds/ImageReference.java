package io.archfarm.portal.builds;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OCI distribution reference grammar, for the {@code image} of a build (a repository without tag or digest)
 * and for each of its tags.
 */
final class ImageReference {

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[0-9A-Fa-f:]+\\])";
    private static final Pattern DOMAIN = Pattern.compile(HOST + "(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final int MAX_NAME_LENGTH = 255;

    private ImageReference() {
    }

    /** Why {@code image} is not a repository reference the farm can push to, or empty when it is one. */
    static Optional<String> refusal(String image) {
        if (image.contains("@")) {
            return Optional.of("image '" + image + "' must not carry a digest: the farm pushes by digest itself");
        }
        int lastSlash = image.lastIndexOf('/');
        if (image.indexOf(':', lastSlash + 1) >= 0) {
            return Optional.of("image '" + image + "' must not carry a tag: put tags in 'tags'");
        }
        if (image.length() > MAX_NAME_LENGTH) {
            return Optional.of("image '" + image + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] components = image.split("/", -1);
        int first = 0;
        if (components.length > 1 && looksLikeDomain(components[0])) {
            if (!DOMAIN.matcher(components[0]).matches()) {
                return Optional.of("image '" + image + "' has a malformed registry host '" + components[0] + "'");
            }
            first = 1;
        }
        for (int i = first; i < components.length; i++) {
            if (!PATH_COMPONENT.matcher(components[i]).matches()) {
                return Optional.of("image '" + image + "' has a malformed path component '" + components[i]
                        + "': expected lower-case letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        return Optional.empty();
    }

    /** Why {@code tag} is not a valid image tag, or empty when it is one. */
    static Optional<String> tagRefusal(String tag) {
        return TAG.matcher(tag).matches() ? Optional.empty()
                : Optional.of("tag '" + tag + "' is not a valid tag: expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    }

    /** As the distribution reference does: a first component with a dot or port, or localhost, is a registry. */
    private static boolean looksLikeDomain(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || !component.equals(component.toLowerCase(java.util.Locale.ROOT));
    }
}
