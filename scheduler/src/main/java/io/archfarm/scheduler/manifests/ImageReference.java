package io.archfarm.scheduler.manifests;

import java.util.regex.Pattern;

/**
 * A repository in a registry, as a build names its image: {@code 127.0.0.1:5000/demo/hello} (no tag, no digest).
 *
 * @param registry {@code host[:port]}
 * @param name     the repository path inside the registry: {@code demo/hello}
 */
record ImageReference(String registry, String name) {

    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image reference must not be empty");
        }
        int slash = image.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("image reference '" + image
                    + "' names no registry: expected host[:port]/name, for example 127.0.0.1:5000/demo/hello");
        }
        String registry = image.substring(0, slash);
        String name = image.substring(slash + 1);
        if (!registry.contains(".") && !registry.contains(":") && !registry.equals("localhost")) {
            throw new IllegalArgumentException("image reference '" + image + "' names no registry host: '"
                    + registry + "' is not a host[:port]");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("image reference '" + image + "' has an invalid repository name '"
                    + name + "' (lower case, digits and separators; no tag or digest)");
        }
        return new ImageReference(registry, name);
    }

    static String requireValidTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag '" + tag + "': expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
        }
        return tag;
    }

    @Override
    public String toString() {
        return registry + "/" + name;
    }
}
