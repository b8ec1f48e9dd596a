package io.archfarm.afctl.builds;

import picocli.CommandLine.Option;

/** How a followed build's progress is shown. */
final class FollowOptions {

    /** {@code auto}: redrawn in place on a terminal, appended lines anywhere else. */
    enum ProgressMode {
        AUTO,
        TTY,
        PLAIN
    }

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "auto (redrawn in place on a terminal, plain lines otherwise), tty or plain")
    ProgressMode progress = ProgressMode.AUTO;
}
