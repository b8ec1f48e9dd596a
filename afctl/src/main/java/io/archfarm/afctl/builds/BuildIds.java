package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.cli.AfctlException;
import io.archfarm.afctl.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A BUILD argument: a build's id, or the start of one of at least 8 hex digits (as the portal and afctl's tables
 * show them), looked for among the newest {@value #SEARCHED} builds the caller may see.
 */
final class BuildIds {

    static final int SEARCHED = 500;
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{8}[0-9a-f-]{0,27}");

    private BuildIds() {}

    /** Whether {@code argument} names a build (an id or the start of one), not an image. */
    static boolean isBuild(String argument) {
        String id = argument.toLowerCase(Locale.ROOT);
        return FULL.matcher(id).matches() || PREFIX.matcher(id).matches();
    }

    static String resolve(FarmApi api, String argument) {
        String id = argument.toLowerCase(Locale.ROOT);
        if (FULL.matcher(id).matches()) {
            return id;
        }
        if (!PREFIX.matcher(id).matches()) {
            throw new AfctlException(
                    "'" + argument + "' is not a build id: expected a UUID, or its first 8 or more " + "hex digits",
                    ExitCodes.USAGE);
        }
        List<String> matches = new ArrayList<>();
        for (JsonNode build : api.get("/api/v1/builds?limit=" + SEARCHED)) {
            String candidate = build.path("id").asString("");
            if (candidate.startsWith(id)) {
                matches.add(candidate);
            }
        }
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new AfctlException(
                    "no build id starts with " + argument + " among the newest " + SEARCHED
                            + " builds you can see; give the whole id",
                    ExitCodes.ERROR);
        }
        throw new AfctlException(
                argument + " starts the ids of several builds: " + String.join(", ", matches) + "; give more of it",
                ExitCodes.USAGE);
    }
}
