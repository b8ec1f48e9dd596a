package io.archfarm.afctl.builds;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code --tag} values as podman takes them ({@code REG/IMG:TAG}, repeatable) turned into what the API wants: one
 * image repository and its tags. A manifest list is pushed to one repository, so every value must name the same one.
 */
record ImageTags(@Nullable String repository, List<String> tags) {

    static ImageTags of(List<String> references, Function<String, ? extends RuntimeException> usage) {
        String repository = null;
        Set<String> tags = new LinkedHashSet<>();
        for (String reference : references) {
            ImageName image = ImageName.parse(reference);
            if (image.byDigest().isPresent()) {
                throw usage.apply("--tag takes REG/IMG[:TAG], not a digest: '" + reference + "'");
            }
            if (repository != null && !repository.equals(image.repository())) {
                throw usage.apply("every --tag must name the same image repository (a manifest list is pushed to "
                        + "one): '" + repository + "' and '" + image.repository() + "' differ");
            }
            repository = image.repository();
            tags.add(image.tag());
        }
        return new ImageTags(repository, List.copyOf(tags));
    }
}
