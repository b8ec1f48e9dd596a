package io.archfarm.afctl.builds;

import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code afctl follow BUILD}: what {@code afctl build --follow} does, for a build that is already there. */
@Command(
        name = "follow",
        header = "Follow a build to its end.",
        description = "Live progress per platform (status, NATIVE/EMULATED, worker, elapsed, step), then the manifest "
                + "list; the exit code says how it ended (0 SUCCEEDED, 4 FAILED, 5 PARTIAL, 6 CANCELLED).")
public final class FollowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUILD", description = "the build's id, or its first 8 or more hex digits")
    String build;

    @Mixin
    FollowOptions followOptions;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    FollowCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        String id = BuildIds.resolve(invocation.api(), build);
        return new FollowBuild(invocation).follow(id, followOptions.progress, output.json());
    }
}
