package io.archfarm.worker.build;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reads {@code buildah build}'s output as it comes and adds up the time spent pulling base images: a pull starts at
 * "Trying to pull …" and lasts while the lines are the image copy's own (signatures, blobs, config, manifest); the
 * first other line, or the end of the output, ends it. Reading the output costs nothing, where a separate
 * {@code buildah pull} before the build would cost a process start per base image and could differ from what the
 * build itself resolves; the build runs exactly as before. Used by the one thread that reads the output.
 */
final class PullSpans implements Consumer<String> {

    private static final Set<String> COPY_LINES = Set.of(
            "Getting image source signatures",
            "Copying blob",
            "Copying config",
            "Writing manifest",
            "Storing signatures");

    private final Consumer<String> next;
    private final LongSupplier nanoTime;
    private long pullingSince = -1;
    private long pulledNanos;

    PullSpans(Consumer<String> next) {
        this(next, System::nanoTime);
    }

    PullSpans(Consumer<String> next, LongSupplier nanoTime) {
        this.next = next;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(String line) {
        long now = nanoTime.getAsLong();
        if (line.startsWith("Trying to pull ")) {
            end(now);
            pullingSince = now;
        } else if (pullingSince >= 0 && COPY_LINES.stream().noneMatch(line::startsWith)) {
            end(now);
        }
        next.accept(line);
    }

    /** The time spent pulling so far; a pull still going when the output ended counts up to now. */
    Duration pulled() {
        end(nanoTime.getAsLong());
        return Duration.ofNanos(pulledNanos);
    }

    private void end(long now) {
        if (pullingSince >= 0) {
            pulledNanos += now - pullingSince;
            pullingSince = -1;
        }
    }
}
