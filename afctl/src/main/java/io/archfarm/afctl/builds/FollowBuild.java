package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/**
 * Follows a build to its end with a live progress display, then shows how it ended and its manifest list, and
 * answers with the exit code of its final status. With {@code -o json} the progress goes to standard error as plain
 * lines and standard output gets only the final build's JSON.
 */
final class FollowBuild {

    private final Invocation invocation;

    FollowBuild(Invocation invocation) {
        this.invocation = invocation;
    }

    int follow(String id, FollowOptions.ProgressMode mode, boolean json) {
        ProgressDisplay display = display(mode, json);
        JsonNode end = new BuildFollower(invocation.api()).follow(id, true, BuildFollower.Until.ENDED, display);
        display.finish(invocation.now());
        Build build = Build.of(end);
        PrintWriter out = invocation.out();
        if (json) {
            out.println(Json.pretty(end));
        } else {
            out.println();
            BuildReport.failures(out, build);
            BuildReport.manifestList(out, build, false);
        }
        out.flush();
        return ExitCodes.of(build.buildStatus());
    }

    private ProgressDisplay display(FollowOptions.ProgressMode mode, boolean json) {
        if (json) {
            return new PlainProgress(invocation.err(), invocation.clock());
        }
        boolean terminal = switch (mode) {
            case TTY -> true;
            case PLAIN -> false;
            case AUTO -> invocation.terminal().stdout();
        };
        return terminal
                ? new TerminalProgress(invocation.out(), invocation.terminal(), invocation.clock())
                : new PlainProgress(invocation.out(), invocation.clock());
    }
}
