package io.archfarm.afctl.farm;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import io.archfarm.afctl.text.Table;
import io.archfarm.afctl.text.Text;
import io.archfarm.model.messages.WorkerTools;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl workers}: the fleet as the farm last heard it, with each worker's tool versions (buildah, skopeo,
 * qemu, kernel, storage driver) when the farm reports them.
 */
@Command(
        name = "workers",
        header = "List the farm's workers.",
        description = "Status, native and emulated platforms, busy/total slots, last heartbeat, and the tools they "
                + "build with (buildah, skopeo, qemu, kernel, storage driver) when the farm reports them.")
public final class WorkersCommand implements Callable<Integer> {

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    WorkersCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        JsonNode workers = invocation.api().get("/api/v1/workers");
        if (output.json()) {
            invocation.out().println(Json.pretty(workers));
            return ExitCodes.OK;
        }
        invocation.out().print(table(workers, invocation.now()));
        return ExitCodes.OK;
    }

    static String table(JsonNode workers, Instant now) {
        Table table = new Table("ID", "STATUS", "NATIVE", "EMULATED", "SLOTS", "LAST SEEN", "TOOLS");
        for (JsonNode worker : workers) {
            String lastSeen = worker.path("lastSeen").asString("");
            JsonNode tools = worker.path("tools");
            String toolSummary = tools.isObject()
                    ? summary(Json.as(tools, WorkerTools.class))
                    : worker.path("storageDriver").asString("");
            table.row(
                    worker.path("id").asString(""),
                    worker.path("status").asString(""),
                    platforms(worker.path("nativePlatforms")),
                    platforms(worker.path("emulatedPlatforms")),
                    worker.path("busy").asInt(0) + "/" + worker.path("slots").asInt(0),
                    lastSeen.isEmpty() ? null : Text.ago(Instant.parse(lastSeen), now),
                    toolSummary);
        }
        return table.render();
    }

    /** {@code buildah 1.28.2, skopeo 1.9.3, qemu 7.2.9, kernel 6.1.0-18-amd64, overlay}: what is known, short. */
    static String summary(WorkerTools tools) {
        List<String> parts = new ArrayList<>();
        if (tools.buildah() != null) {
            parts.add("buildah " + tools.buildah());
        }
        if (tools.skopeo() != null) {
            parts.add("skopeo " + tools.skopeo());
        }
        TreeSet<String> qemu = new TreeSet<>(
                tools.qemu().values().stream().filter(Objects::nonNull).toList());
        if (!qemu.isEmpty()) {
            parts.add("qemu " + String.join("/", qemu));
        }
        if (tools.kernel() != null) {
            parts.add("kernel " + tools.kernel());
        }
        if (tools.storageDriver() != null) {
            parts.add(tools.storageDriver());
        }
        return String.join(", ", parts);
    }

    private static String platforms(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(platform -> names.add(platform.asString()));
        return String.join(",", names);
    }
}
