package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.portal.builds.BuildLogs.LiveChunk;
import io.archfarm.portal.web.PortalProperties;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live streams of builds, for two kinds of readers, fed by one ticker that looks at every followed build.
 * <ul>
 * <li>An open build page ({@link #follow}): a {@code state} event (the status) when the build or a job changed, and
 * the page re-fetches its panel; a {@code log} event per platform with the new text (JSON: platform, text, cursor
 * {@code 2.17}); {@code end} (the status) once the build has ended and its logs are quiet.</li>
 * <li>An API client ({@link #followForClient}): the same, but {@code build} and {@code end} carry the whole
 * {@link BuildView} as {@code GET /api/v1/builds/{id}} returns it (the first one at once), and a log event's cursor
 * names its platform ({@code linux/arm64@2.17}), so that a client resumes by handing the cursors back.</li>
 * </ul>
 * Every stream gets a comment line ({@code : keep-alive}) when nothing else was sent for
 * {@code archfarm.portal.live-keep-alive}: a proxy keeps the connection, and a reader that left is noticed.
 *
 * <p>When the portal stops, its streams end first (this lifecycle's phase is above the web server's graceful
 * shutdown): an open stream would otherwise hold the shutdown for its whole grace period and then be cut. Each page
 * reconnects from its cursors, through the load balancer, to a portal that runs.
 */
@Component
class LiveBuilds implements SmartLifecycle, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LiveBuilds.class);
    private static final int CHUNKS_PER_TICK = 500;
    /** Ticks without new text after the build ended before the stream says {@code end}: late chunks still arrive. */
    private static final int QUIET_TICKS_BEFORE_END = 3;

    private final BuildQueries queries;
    private final BuildLogs logs;
    private final JsonMapper json;
    private final long timeoutMillis;
    private final long intervalMillis;
    private final long keepAliveNanos;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private @Nullable ScheduledExecutorService ticker;
    private volatile boolean running;

    LiveBuilds(BuildQueries queries, BuildLogs logs, JsonMapper json, PortalProperties properties) {
        this.queries = queries;
        this.logs = logs;
        this.json = json;
        this.timeoutMillis = properties.liveTimeout().toMillis();
        this.intervalMillis = properties.liveInterval().toMillis();
        this.keepAliveNanos = properties.liveKeepAlive().toNanos();
    }

    @Override
    public synchronized void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("live-builds").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Ends every open stream, so that the web server's graceful shutdown has no stream to wait for. */
    @Override
    public synchronized void stop() {
        running = false;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        followers.forEach(follower -> follower.emitter.complete());
        followers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Follows a build for its page, from the cursors the page rendered (a platform without one starts at its beginning). */
    SseEmitter follow(BuildView build, Map<String, LogCursor> cursors) {
        return follow(build, Reader.PAGE, cursors, true);
    }

    /**
     * Follows a build for an API client: its {@code build} event goes out at once, then logs from {@code cursors}
     * (a platform without one starts at its beginning), none at all without {@code logs}.
     */
    SseEmitter followForClient(BuildView build, Map<String, LogCursor> cursors, boolean logs) {
        return follow(build, Reader.CLIENT, cursors, logs);
    }

    private SseEmitter follow(BuildView build, Reader reader, Map<String, LogCursor> cursors, boolean logs) {
        SseEmitter emitter = new SseEmitter(timeoutMillis);
        if (!running) {
            emitter.complete(); // stopping (or not started yet): the reader reconnects, to a portal that runs
            return emitter;
        }
        Map<String, LogCursor> from = new ConcurrentHashMap<>();
        if (logs) {
            build.platforms()
                    .forEach(job -> from.put(job.platform(), cursors.getOrDefault(job.platform(), LogCursor.START)));
        }
        // no known state: the first tick says "state", so that a page rendered before the last change catches up
        Follower follower = new Follower(build.id(), reader, emitter, from);
        if (reader == Reader.CLIENT) {
            greet(follower);
        }
        emitter.onCompletion(() -> followers.remove(follower));
        emitter.onTimeout(() -> {
            followers.remove(follower);
            emitter.complete();
        });
        emitter.onError(e -> followers.remove(follower));
        followers.add(follower);
        if (!running && followers.remove(follower)) {
            emitter.complete(); // stop() ran meanwhile and did not see it
        }
        return emitter;
    }

    /**
     * The client's first {@code build} event, before the first tick: the state is read before the view, so a change
     * in between is sent again by the next tick rather than missed.
     */
    private void greet(Follower follower) {
        try {
            Optional<String> state = queries.stateOf(follower.buildId);
            Optional<BuildView> view = queries.view(follower.buildId);
            if (state.isPresent() && view.isPresent()) {
                follower.send(SseEmitter.event().name("build").data(json.writeValueAsString(view.get())));
                follower.state = state.get();
            }
        } catch (IOException e) {
            follower.emitter.completeWithError(e);
        }
    }

    int following() {
        return followers.size();
    }

    private void tick() {
        for (Follower follower : followers) {
            try {
                advance(follower);
            } catch (IOException | IllegalStateException gone) {
                // the reader left: the emitter is finished, nothing to tell
                followers.remove(follower);
            } catch (BuildGone deleted) {
                follower.emitter.complete(); // as when the state finds no build: the stream ends
                followers.remove(follower);
            } catch (RuntimeException e) {
                try (var context = JobLogContext.ofBuild(follower.buildId)) {
                    LOG.warn("live update of build {} failed: {}", follower.buildId, e.toString());
                }
            }
        }
    }

    private void advance(Follower follower) throws IOException {
        Optional<String> state = queries.stateOf(follower.buildId);
        if (state.isEmpty()) {
            follower.emitter.complete();
            followers.remove(follower);
            return;
        }
        if (!state.get().equals(follower.state)) {
            follower.state = state.get();
            follower.send(changed(follower));
        }
        boolean quiet = true;
        for (Map.Entry<String, LogCursor> platform : follower.cursors.entrySet()) {
            List<LiveChunk> chunks =
                    logs.after(follower.buildId, platform.getKey(), platform.getValue(), CHUNKS_PER_TICK);
            if (chunks.isEmpty()) {
                continue;
            }
            quiet = false;
            StringBuilder text = new StringBuilder();
            chunks.forEach(chunk -> text.append(chunk.text()));
            LogCursor last = chunks.getLast().cursor();
            String cursor = follower.reader == Reader.CLIENT ? platform.getKey() + "@" + last : last.toString();
            follower.send(SseEmitter.event()
                    .name("log")
                    .data(json.writeValueAsString(
                            Map.of("platform", platform.getKey(), "text", text.toString(), "cursor", cursor))));
            platform.setValue(last);
        }
        boolean ended = isEnded(follower.state);
        follower.quietTicks = ended && quiet ? follower.quietTicks + 1 : 0;
        if (follower.quietTicks >= QUIET_TICKS_BEFORE_END) {
            follower.send(ended(follower));
            follower.emitter.complete();
            followers.remove(follower);
            return;
        }
        if (System.nanoTime() - follower.lastSent >= keepAliveNanos) {
            follower.send(SseEmitter.event().comment(" keep-alive"));
        }
    }

    /** A page re-fetches its panel on the status; a client gets the whole build. */
    private SseEmitter.SseEventBuilder changed(Follower follower) {
        return follower.reader == Reader.PAGE
                ? SseEmitter.event().name("state").data(status(follower.state))
                : SseEmitter.event().name("build").data(json.writeValueAsString(currentView(follower)));
    }

    private SseEmitter.SseEventBuilder ended(Follower follower) {
        return follower.reader == Reader.PAGE
                ? SseEmitter.event().name("end").data(status(follower.state))
                : SseEmitter.event().name("end").data(json.writeValueAsString(currentView(follower)));
    }

    private BuildView currentView(Follower follower) {
        return queries.view(follower.buildId).orElseThrow(BuildGone::new);
    }

    private static String status(String state) {
        return state.split(":", 2)[0];
    }

    /** Ended, and no retry is waiting to re-open it. */
    private static boolean isEnded(String state) {
        String[] parts = state.split(":", 3);
        return BuildStatus.valueOf(parts[0]).isTerminal() && parts[1].isEmpty();
    }

    /** Where {@link #stop} was not called (a context that failed while starting). */
    @Override
    public void destroy() {
        if (running) {
            stop();
        }
    }

    /** The build was deleted between reading its state and its view. */
    private static final class BuildGone extends RuntimeException {}

    /** Who reads a stream: what its events carry. */
    private enum Reader {
        PAGE,
        CLIENT
    }

    private static final class Follower {
        private final UUID buildId;
        private final Reader reader;
        private final SseEmitter emitter;
        private final Map<String, LogCursor> cursors;
        private volatile String state = "";
        private volatile int quietTicks;
        private volatile long lastSent = System.nanoTime();

        private Follower(UUID buildId, Reader reader, SseEmitter emitter, Map<String, LogCursor> cursors) {
            this.buildId = buildId;
            this.reader = reader;
            this.emitter = emitter;
            this.cursors = cursors;
        }

        private void send(SseEmitter.SseEventBuilder event) throws IOException {
            emitter.send(event);
            lastSent = System.nanoTime();
        }
    }
}
