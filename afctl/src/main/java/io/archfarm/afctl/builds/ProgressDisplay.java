package io.archfarm.afctl.builds;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A live view of a followed build: it keeps the {@link Progress} up to date with what the follower hears and shows it,
 * redrawn in place on a terminal ({@link TerminalProgress}) or as appended lines anywhere else ({@link PlainProgress}).
 */
abstract class ProgressDisplay implements BuildFollower.Listener {

    protected final Progress progress = new Progress();
    protected final Clock clock;

    ProgressDisplay(Clock clock) {
        this.clock = clock;
    }

    @Override
    public final void build(JsonNode view, Build build) {
        progress.build(build);
        changed(clock.instant());
    }

    @Override
    public final void log(String platform, String text) {
        String before = progress.step(platform).orElse(null);
        progress.log(platform, text);
        if (!Objects.equals(before, progress.step(platform).orElse(null))) {
            changed(clock.instant());
        }
    }

    @Override
    public final void quiet() {
        quiet(clock.instant());
    }

    /** Something shown has changed. */
    abstract void changed(Instant now);

    /** Nothing changed for a moment. */
    abstract void quiet(Instant now);

    /** The build has ended: the last state stays on screen. */
    abstract void finish(Instant now);
}
