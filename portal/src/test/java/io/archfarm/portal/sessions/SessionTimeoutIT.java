package io.archfarm.portal.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.sessions.Browser.Page;
import io.archfarm.portal.sessions.TeamBuilds.RunningJob;
import io.archfarm.testing.ArchfarmTestServices;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sessions end after {@code server.servlet.session.timeout} without a request, and the cleanup deletes them; a screen
 * that keeps watching (a dashboard refreshing its panels, a build page reconnecting its live stream) keeps its
 * session however long it watches. Here the timeout is 8 s and a live stream lasts 2 s, so that "long" fits a test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.portal.scheduling=false",
            "server.servlet.session.timeout=8s",
            "archfarm.portal.live-timeout=2s",
            "archfarm.portal.live-interval=200ms",
            "spring.session.jdbc.cleanup-cron=* * * * * *",
            "archfarm.git.allow-file-urls=true",
            "archfarm.git.timeout=20s",
            "archfarm.git.allowed-hosts=127.0.0.1,localhost"
        })
@Import(ArchfarmTestServices.class)
class SessionTimeoutIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(8);
    /** How long the screens below watch: more than twice the timeout. */
    private static final Duration WATCHING = Duration.ofSeconds(20);

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TeamBuilds builds;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void team() {
        builds = new TeamBuilds(new FarmAccounts(port), jdbc, repo);
    }

    @Test
    void aDashboardThatKeepsRefreshingStaysSignedIn() throws InterruptedException {
        Browser screen = new Browser().signIn(port, builds.viewer(), FarmAccounts.PASSWORD);
        Instant until = Instant.now().plus(WATCHING);
        int refreshes = 0;
        while (Instant.now().isBefore(until)) {
            Page panel = screen.get(port, "/dashboard/active?of=" + builds.team());
            assertThat(panel.status())
                    .as("refresh %d of the running builds panel: %s", refreshes, panel)
                    .isEqualTo(200);
            refreshes++;
            Thread.sleep(3000); // the panel's own refresh interval (hx-trigger="every 3s")
        }
        assertThat(screen.get(port, "/").signedIn()).isTrue();
        assertThat(refreshes).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aBuildPageThatOnlyListensStaysSignedInByReconnecting() throws Exception {
        Browser screen = new Browser().signIn(port, builds.viewer(), FarmAccounts.PASSWORD);
        RunningJob running = builds.runningBuild();
        Instant until = Instant.now().plus(WATCHING);
        int streams = 0;
        while (Instant.now().isBefore(until)) {
            HttpResponse<InputStream> stream = screen.openStream(port, "/builds/" + running.build() + "/live");
            assertThat(stream.statusCode()).as("stream %d", streams).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            try (InputStream events = stream.body()) {
                events.readAllBytes(); // the stream ends after archfarm.portal.live-timeout (2 s)
            }
            streams++;
            Thread.sleep(2000); // archfarm.js waits 2 s before it reconnects
        }
        assertThat(screen.get(port, "/").signedIn()).isTrue();
        assertThat(streams).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anIdleSessionEndsAfterTheTimeoutAndTheCleanupDeletesIt() throws IOException {
        String viewer = builds.viewer();
        Browser idle = new Browser().signIn(port, viewer, FarmAccounts.PASSWORD);
        Instant signedIn = Instant.now();
        String id = SharedSessionsIT.sessionId(idle.sessionCookie());
        assertThat(sessions(id)).isOne();

        // no request touches the session meanwhile: only the cleanup (every second here) can remove it
        await().atMost(TIMEOUT.plusSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> sessions(id) == 0);

        assertThat(Duration.between(signedIn, Instant.now()))
                .as("not before the timeout")
                .isGreaterThanOrEqualTo(TIMEOUT.minusSeconds(1));
        assertThat(idle.get(port, "/").sentToSignIn()).isTrue();
    }

    private int sessions(String id) {
        return jdbc.sql("select count(*) from spring_session where session_id = :id")
                .param("id", id)
                .query(Integer.class)
                .single();
    }
}
