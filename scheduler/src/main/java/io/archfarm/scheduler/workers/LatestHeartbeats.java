package io.archfarm.scheduler.workers;

import io.archfarm.model.messages.WorkerHeartbeat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The heartbeats of a batch worth applying: each worker's latest, by the worker's clock (a heartbeat that names no
 * sending time counts as sent after those that do, as the queue's order suggests), in worker order.
 */
final class LatestHeartbeats {

    private LatestHeartbeats() {}

    /** {@code read} turns a message into its heartbeat, or null for one that holds none to apply. */
    static <M> List<WorkerHeartbeat> of(List<M> messages, Function<M, @Nullable WorkerHeartbeat> read) {
        Map<String, WorkerHeartbeat> latest = new TreeMap<>();
        for (M message : messages) {
            WorkerHeartbeat beat = read.apply(message);
            if (beat != null) {
                latest.merge(beat.workerId(), beat, LatestHeartbeats::later);
            }
        }
        return List.copyOf(latest.values());
    }

    private static WorkerHeartbeat later(WorkerHeartbeat earlier, WorkerHeartbeat next) {
        if (earlier.sentAt() != null && next.sentAt() != null && next.sentAt().isBefore(earlier.sentAt())) {
            return earlier;
        }
        return next;
    }
}
