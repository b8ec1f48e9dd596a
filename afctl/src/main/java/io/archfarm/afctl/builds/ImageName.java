package io.archfarm.afctl.builds;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An image reference as podman takes one: {@code REG/REPO[:TAG]} or {@code REG/REPO@sha256:…}; no tag means
 * {@code latest}. Only split here: the farm checks the reference itself.
 *
 * @param tag    the tag, null for a reference by digest
 * @param digest the digest, null for a reference by tag
 */
record ImageName(
        String repository, @Nullable String tag, @Nullable String digest) {

    static ImageName parse(String reference) {
        int at = reference.indexOf('@');
        if (at >= 0) {
            return new ImageName(reference.substring(0, at), null, reference.substring(at + 1));
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        if (colon > slash) {
            return new ImageName(reference.substring(0, colon), reference.substring(colon + 1), null);
        }
        return new ImageName(reference, "latest", null);
    }

    /** Whether {@code build} published the manifest list this reference names. */
    boolean publishedBy(Build build) {
        Build.ManifestList list = build.manifestList();
        if (list == null || !repository.equals(build.image())) {
            return false;
        }
        return digest != null ? digest.equals(list.digest()) : list.tags().contains(tag);
    }

    Optional<String> byDigest() {
        return Optional.ofNullable(digest);
    }

    @Override
    public String toString() {
        return digest != null ? repository + "@" + digest : repository + ":" + tag;
    }
}
