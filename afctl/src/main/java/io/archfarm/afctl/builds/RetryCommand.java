package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl retry BUILD}: builds again the platforms of an ended build that did not succeed, at the same commit,
 * and merges them with the kept ones into one manifest list.
 */
@Command(
        name = "retry",
        header = "Build again the platforms of an ended build that did not succeed.",
        description = "For a FAILED, PARTIAL or CANCELLED build: the platforms that did not succeed are built again "
                + "at the same commit; the others are kept and merged with them into one manifest list.")
public final class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUILD", description = "the build's id, or its first 8 or more hex digits")
    String build;

    @Option(names = "--follow", description = "follow the build to its end; the exit code says how it ended")
    boolean follow;

    @Mixin
    FollowOptions followOptions;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    RetryCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        String id = BuildIds.resolve(invocation.api(), build);
        JsonNode answer = invocation.api().post("/api/v1/builds/" + id + "/retry", null);
        if (follow) {
            if (!output.json()) {
                invocation
                        .out()
                        .println(
                                "Retrying " + String.join(", ", Build.of(answer).retryPlatforms()) + " of build " + id
                                        + "; following it.");
            }
            return new FollowBuild(invocation).follow(id, followOptions.progress, output.json());
        }
        if (output.json()) {
            invocation.out().println(Json.pretty(answer));
        } else {
            Build retried = Build.of(answer);
            invocation
                    .out()
                    .println("Retrying " + String.join(", ", retried.retryPlatforms()) + " of build " + id + " ("
                            + retried.title() + "); afctl follow " + id + " shows its end.");
        }
        return ExitCodes.OK;
    }
}
