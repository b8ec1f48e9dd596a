package io.archfarm.portal.web;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.stereotype.Component;

/**
 * A build page on a wall screen may send no request but its live stream for a long time: the stream renews the
 * session only when it (re)connects, every {@code archfarm.portal.live-timeout}. A session that ended before the next
 * reconnect would turn the screen into a sign-in form, so the portal does not start with a session timeout that is
 * not at least {@link #MARGIN} longer than a stream (archfarm.js waits 2 s before it reconnects). A dashboard
 * renews its session with every panel refresh, every few seconds, and needs nothing more.
 */
@Component
class SessionsOutliveLiveStreams {

    static final Duration MARGIN = Duration.ofSeconds(5);

    SessionsOutliveLiveStreams(SessionTimeout sessions, PortalProperties portal) {
        check(sessions.getTimeout(), portal.liveTimeout());
    }

    static void check(@Nullable Duration sessionTimeout, Duration liveTimeout) {
        if (sessionTimeout == null || sessionTimeout.isNegative()) {
            return; // sessions that never end outlive every stream
        }
        if (sessionTimeout.compareTo(liveTimeout.plus(MARGIN)) < 0) {
            throw new IllegalStateException("the session timeout (" + sessionTimeout
                    + ": server.servlet.session.timeout, or spring.session.timeout when set) must be at least "
                    + MARGIN.toSeconds() + " s longer than archfarm.portal.live-timeout (" + liveTimeout
                    + "): a build page renews its session only when its live stream reconnects, and would be"
                    + " signed out in between");
        }
    }
}
