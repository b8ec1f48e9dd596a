package io.archfarm.afctl.farm;

import io.archfarm.afctl.api.ApiError;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import io.archfarm.afctl.cli.Version;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code afctl version}: afctl's own version, and the farm's from {@code GET /api/v1/version}. A farm without that
 * endpoint is reported as unknown with the status it answered, never guessed; the client's version is printed first
 * whatever happens after.
 */
@Command(
        name = "version",
        header = "Print afctl's version and the farm's.",
        description = "The farm's comes from GET /api/v1/version; a farm without it is shown as unknown, with the "
                + "status it answered. -o json: {\"client\": {\"version\"}, \"server\": <the API's answer or "
                + "null>, \"serverError\": {status, title, detail} when it failed}.")
public final class VersionCommand implements Callable<Integer> {

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    VersionCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintWriter out = invocation.out();
        if (output.json()) {
            return json(out);
        }
        out.println("afctl   " + Version.client());
        out.flush();
        JsonNode server;
        try {
            server = invocation.api().get("/api/v1/version");
        } catch (ApiError e) {
            if (e.unauthenticated()) {
                throw e;
            }
            out.println("server  unknown: " + invocation.api().base() + "/api/v1/version answered " + e.status() + " ("
                    + e.getMessage() + ")");
            return ExitCodes.OK;
        }
        out.println("server  " + server.path("version").asString("unknown") + details(server) + " at "
                + invocation.api().base());
        return ExitCodes.OK;
    }

    private int json(PrintWriter out) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putObject("client").put("version", Version.client());
        try {
            answer.set("server", invocation.api().get("/api/v1/version"));
        } catch (ApiError e) {
            if (e.unauthenticated()) {
                throw e;
            }
            answer.putNull("server");
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", e.status());
            error.put("title", e.title());
            error.put("detail", e.detail());
            answer.set("serverError", Json.MAPPER.valueToTree(error));
        }
        out.println(Json.pretty(answer));
        return ExitCodes.OK;
    }

    /** {@code (commit 0d1a26e67d8f, built 2025-06-01T12:00:00Z)}, of what the farm says. */
    private static String details(JsonNode server) {
        String commit = server.path("commit").asString("");
        String built = server.path("buildTime").asString("");
        if (commit.isEmpty() && built.isEmpty()) {
            return "";
        }
        String shortCommit = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return " (" + (commit.isEmpty() ? "" : "commit " + shortCommit)
                + (commit.isEmpty() || built.isEmpty() ? "" : ", ") + (built.isEmpty() ? "" : "built " + built) + ")";
    }
}
