package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.ApiError;
import io.archfarm.afctl.api.EventConnection;
import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.FarmUnreachable;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.api.ServerEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Follows a build over {@code GET /api/v1/builds/{id}/events} until it has ended: until the stream's {@code end}
 * event, which the farm sends once the logs are quiet too (about 1.5 s later), or, for a reader that needs no more
 * than the build, until the first {@code build} event of an ended build with no retry pending. When the stream breaks or
 * goes silent (the farm sends a keep-alive at least every 15 s), it connects again and goes on with the log cursors
 * it has, so no log text is shown twice; a farm it cannot reach for {@link #OUTAGE_BUDGET} ends the follow with
 * {@link FarmUnreachable}.
 */
final class BuildFollower {

    /** What follows a build hears. */
    interface Listener {

        /** The build as the farm has it now (its JSON, and read). */
        void build(JsonNode view, Build build);

        /** New log text of a platform; several lines, maybe an unfinished one. */
        void log(String platform, String text);

        /** Nothing arrived for a moment: time for a clock to move. */
        void quiet();
    }

    static final Duration SILENCE_LIMIT = Duration.ofSeconds(45);
    static final Duration OUTAGE_BUDGET = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final FarmApi api;
    private final Duration silenceLimit;
    private final Duration outageBudget;

    BuildFollower(FarmApi api) {
        this(api, SILENCE_LIMIT, OUTAGE_BUDGET);
    }

    BuildFollower(FarmApi api, Duration silenceLimit, Duration outageBudget) {
        this.api = api;
        this.silenceLimit = silenceLimit;
        this.outageBudget = outageBudget;
    }

    /** How much of a build a reader waits for. */
    enum Until {
        /** The build has ended: its final state is all the reader shows. */
        ENDED,
        /** The build has ended and the farm has sent the last of its logs. */
        LOGS_QUIET
    }

    /**
     * Follows build {@code id} to its end and returns the final BuildView.
     *
     * @param logs whether the farm should send the log text ({@code false} saves it the work)
     */
    JsonNode follow(String id, boolean logs, Until until, Listener listener) {
        Map<String, String> cursors = new LinkedHashMap<>();
        long downSince = 0;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try (EventConnection events = EventConnection.open(api, path(id, logs, cursors))) {
                downSince = 0;
                backoff = FIRST_BACKOFF;
                Optional<JsonNode> end = readUntilEnd(events, cursors, until, listener);
                if (end.isPresent()) {
                    return end.get();
                }
            } catch (FarmUnreachable | ApiError e) {
                if (e instanceof ApiError error && !error.transientFailure()) {
                    throw error;
                }
                if (downSince == 0) {
                    downSince = System.nanoTime();
                } else if (Duration.ofNanos(System.nanoTime() - downSince).compareTo(outageBudget) > 0) {
                    throw e;
                }
            }
            pause(backoff, listener);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** The end event's build, or empty when the stream broke or went silent before it. */
    private Optional<JsonNode> readUntilEnd(
            EventConnection events, Map<String, String> cursors, Until until, Listener listener) {
        while (true) {
            Optional<ServerEvent> next = events.next(POLL);
            if (next.isEmpty()) {
                if (events.silence().compareTo(silenceLimit) > 0) {
                    return Optional.empty();
                }
                listener.quiet();
                continue;
            }
            ServerEvent event = next.get();
            switch (event.name()) {
                case "build" -> {
                    JsonNode view = Json.parse(event.data());
                    Build build = Build.of(view);
                    listener.build(view, build);
                    if (until == Until.ENDED
                            && build.ended()
                            && view.path("retryRequestedAt").asString("").isEmpty()) {
                        return Optional.of(view);
                    }
                }
                case "log" -> {
                    JsonNode log = Json.parse(event.data());
                    String platform = log.path("platform").asString("");
                    cursors.put(platform, log.path("cursor").asString(""));
                    listener.log(platform, log.path("text").asString(""));
                }
                case "end" -> {
                    JsonNode view = Json.parse(event.data());
                    listener.build(view, Build.of(view));
                    return Optional.of(view);
                }
                default -> {
                    // an event of a newer farm
                }
            }
        }
    }

    private static Query path(String id, boolean logs, Map<String, String> cursors) {
        return Query.path("/api/v1/builds/" + id + "/events")
                .with("logs", logs ? null : "false")
                .withEach("cursor", cursors.values());
    }

    /** Waits before connecting again, with the clock still moving. */
    private static void pause(Duration backoff, Listener listener) {
        long until = System.nanoTime() + backoff.toNanos();
        while (System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FarmUnreachable("interrupted while waiting to reconnect", e);
            }
            listener.quiet();
        }
    }
}
