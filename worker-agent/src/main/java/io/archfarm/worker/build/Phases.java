package io.archfarm.worker.build;

import io.archfarm.model.messages.JobPhases;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The stopwatch of one attempt on the worker: fetch, base-image pull, build without the pull, push. A phase that
 * never ran stays null (unknown), which is not the same as a phase that took 0 ms. Used by one job thread.
 */
final class Phases {

    private @Nullable Duration fetch;
    private @Nullable Duration pull;
    private @Nullable Duration build;
    private @Nullable Duration push;

    void fetched(Duration elapsed) {
        fetch = elapsed;
    }

    /** buildah build ran for {@code elapsed}, of which {@code pulling} went to pulling base images. */
    void built(Duration elapsed, Duration pulling) {
        Duration pulled = pulling.compareTo(elapsed) > 0 ? elapsed : pulling;
        pull = pulled;
        build = elapsed.minus(pulled);
    }

    /** One step of the push (into the OCI layout, then to the registry); the push is their sum. */
    void pushed(Duration elapsed) {
        push = push == null ? elapsed : push.plus(elapsed);
    }

    JobPhases toMessage() {
        return JobPhases.onWorker(null, millis(fetch), millis(pull), millis(build), millis(push));
    }

    private static @Nullable Long millis(@Nullable Duration duration) {
        return duration == null ? null : duration.toMillis();
    }
}
