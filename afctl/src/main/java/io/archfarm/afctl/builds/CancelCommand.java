package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code afctl cancel BUILD}: asks the farm to stop a queued or running build; its jobs stop soon after. */
@Command(
        name = "cancel",
        header = "Cancel a queued or running build.",
        description = "The build ends CANCELLED once its jobs have stopped; afctl follow BUILD shows when.")
public final class CancelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUILD", description = "the build's id, or its first 8 or more hex digits")
    String build;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    CancelCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        String id = BuildIds.resolve(invocation.api(), build);
        JsonNode answer = invocation.api().post("/api/v1/builds/" + id + "/cancel", null);
        if (output.json()) {
            invocation.out().println(Json.pretty(answer));
        } else {
            Build cancelled = Build.of(answer);
            invocation
                    .out()
                    .println("Cancelling build " + id + " (" + cancelled.title() + "), " + cancelled.status()
                            + " now; afctl follow " + id + " shows its end.");
        }
        return ExitCodes.OK;
    }
}
