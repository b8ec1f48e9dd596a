package io.archfarm.portal.builds;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/builds} as it arrives: everything optional here, so that the validator can name every missing
 * or wrong field at once. Unknown properties are refused by the JSON mapper
 * ({@code spring.jackson.deserialization.fail-on-unknown-properties}).
 *
 * @param noCache build every step again instead of reusing cached layers (the new layers are still kept); false when
 *                left out
 */
public record BuildRequestBody(
        String team,
        String repository,
        String ref,
        String containerfile,
        String context,
        List<String> platforms,
        String image,
        List<String> tags,
        Map<String, String> buildArgs,
        String placement,
        Map<String, String> platformPlacement,
        String publish,
        Boolean noCache) {
}
