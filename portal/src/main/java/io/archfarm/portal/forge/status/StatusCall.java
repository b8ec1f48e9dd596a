package io.archfarm.portal.forge.status;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.util.UriUtils;

/**
 * One forge's status request, as that forge documents it: where to POST, which headers carry the credential and the
 * API version, and the JSON fields.
 */
record StatusCall(URI uri, Map<String, String> headers, Map<String, Object> body) {

    StatusCall {
        headers = Map.copyOf(headers);
        body = Map.copyOf(body);
    }

    /**
     * The API root followed by {@code segments}, each percent-encoded as one path segment, so that a GitLab path
     * {@code group/project} travels as {@code group%2Fproject} and is not encoded a second time on the way out.
     */
    static URI endpoint(URI apiRoot, String... segments) {
        String root = apiRoot.toString().replaceAll("/+$", "");
        String path = Arrays.stream(segments)
                .map(s -> UriUtils.encodePathSegment(s, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
        return URI.create(root + "/" + path);
    }

    /** The JSON fields whose values are set; forges treat a missing optional field better than a null one. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }
}
