package io.archfarm.portal.builds;

import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A build request that passed validation, with defaults filled in and platforms canonical and de-duplicated.
 *
 * @param ref     the ref as asked for, or null for the remote's HEAD branch
 * @param noCache whether the build asked to build every step again rather than reuse cached layers
 */
public record BuildSubmission(
        String repository,
        @Nullable String ref,
        String containerfile,
        String context,
        List<Platform> platforms,
        String image,
        List<String> tags,
        Map<String, String> buildArgs,
        Placement placement,
        Map<Platform, Placement> platformPlacement,
        PublishPolicy publish,
        boolean noCache) {

    public BuildSubmission withTags(List<String> newTags) {
        return new BuildSubmission(
                repository,
                ref,
                containerfile,
                context,
                platforms,
                image,
                List.copyOf(newTags),
                buildArgs,
                placement,
                platformPlacement,
                publish,
                noCache);
    }
}
