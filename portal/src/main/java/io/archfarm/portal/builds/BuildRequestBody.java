package io.archfarm.portal.builds;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/builds} as it arrives: everything optional here, so that the validator can name every missing
 * or wrong field at once. Unknown properties are refused by the JSON mapper
 * ({@code spring.jackson.deserialization.fail-on-unknown-properties}).
 *
 * @param noCache build every step again instead of reusing cached layers (the new layers are still kept); false when
 *                left out
 */
public record BuildRequestBody(
        @Nullable String team,
        @Nullable String repository,
        @Nullable String ref,
        @Nullable String containerfile,
        @Nullable String context,
        @Nullable List<String> platforms,
        @Nullable String image,
        @Nullable List<String> tags,
        @Nullable Map<String, String> buildArgs,
        @Nullable String placement,
        @Nullable Map<String, String> platformPlacement,
        @Nullable String publish,
        @Nullable Boolean noCache) {}
