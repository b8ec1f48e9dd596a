package io.archfarm.portal.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalIntegrationTest;
import io.archfarm.portal.sessions.PortalInstances.Portal;
import io.archfarm.portal.sessions.TeamBuilds.RunningJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Live build pages are fed from PostgreSQL, where the scheduler records states and logs, by each portal's own ticker
 * (the portal has no broker connection): a change recorded once reaches the open build pages on every portal, with
 * the same text. Portal A is the test context, portal B another instance on the same database.
 */
@PortalIntegrationTest
class LiveUpdatesOnEveryPortalIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int portalA;

    @Autowired
    DataSource database;

    @Autowired
    JdbcClient jdbc;

    PortalInstances portals;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @AfterEach
    void stopPortals() {
        if (portals != null) {
            portals.close();
        }
    }

    @Test
    void aChangeRecordedOnceReachesTheBuildPagesOfBothPortals() throws Exception {
        portals = new PortalInstances(
                database, "archfarm.portal.scheduling=false", "archfarm.portal.live-interval=100ms");
        Portal portalB = portals.start();
        TeamBuilds builds = new TeamBuilds(new FarmAccounts(portalA), jdbc, repo);
        Browser browser = new Browser().signIn(portalA, builds.viewer(), FarmAccounts.PASSWORD);
        RunningJob running = builds.runningBuild();
        String live = "/builds/" + running.build() + "/live";

        Stream onA = Stream.read(browser.openStream(portalA, live));
        Stream onB = Stream.read(browser.openStream(portalB.port(), live));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> onA.text().contains("event:state") && onB.text().contains("event:state"));
        assertThat(onA.text() + onB.text()).doesNotContain("chunk recorded once");

        builds.chunk(running, 1, "chunk recorded once\n");
        builds.fail(running);

        String endedA = onA.ended().get(30, TimeUnit.SECONDS);
        String endedB = onB.ended().get(30, TimeUnit.SECONDS);
        for (String stream : new String[] {endedA, endedB}) {
            assertThat(stream)
                    .contains("chunk recorded once")
                    .contains("\"cursor\":\"1.1\"")
                    .contains("event:end")
                    .contains("data:FAILED");
            assertThat(stream.indexOf("chunk recorded once"))
                    .as("shown once")
                    .isEqualTo(stream.lastIndexOf("chunk recorded once"));
        }
    }

    @Test
    void aPortalStopsPromptlyUnderOpenStreamsAndThePageGoesOnFromItsCursorOnAnother() throws Exception {
        portals = new PortalInstances(
                database, "archfarm.portal.scheduling=false", "archfarm.portal.live-interval=100ms");
        Portal portalB = portals.start();
        TeamBuilds builds = new TeamBuilds(new FarmAccounts(portalA), jdbc, repo);
        Browser browser = new Browser().signIn(portalB.port(), builds.viewer(), FarmAccounts.PASSWORD);
        RunningJob running = builds.runningBuild();
        builds.chunk(running, 1, "before the restart\n");
        String live = "/builds/" + running.build() + "/live";
        Stream onB = Stream.read(browser.openStream(portalB.port(), live));
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.text().contains("before the restart"));

        long stopping = System.nanoTime();
        portalB.stop();
        Duration stop = Duration.ofNanos(System.nanoTime() - stopping);
        System.out.println("[measured] a portal with an open live stream stopped in " + stop.toMillis() + " ms");
        assertThat(stop)
                .as("open streams do not hold a restart up (graceful shutdown waits for requests)")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(onB.ended().get(10, TimeUnit.SECONDS))
                .as("the stream ended, not cut")
                .contains("before the restart");

        builds.chunk(running, 2, "after the restart\n");
        builds.fail(running);
        // archfarm.js reconnects through the balancer, here to portal A, from the cursor of the last text it showed
        Stream onA = Stream.read(browser.openStream(
                portalA, live + "?cursor=" + URLEncoder.encode("linux/amd64@1.1", StandardCharsets.UTF_8)));
        String continued = onA.ended().get(30, TimeUnit.SECONDS);
        assertThat(continued)
                .contains("after the restart")
                .doesNotContain("before the restart")
                .contains("event:end");
    }

    /** An event stream read to its end in the background; what came so far is readable at any time. */
    private record Stream(StringBuffer received, CompletableFuture<String> ended) {

        /** A thread per stream: each blocks on its socket until the stream ends. */
        private static final Executor READERS =
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

        static Stream read(HttpResponse<InputStream> response) {
            assertThat(response.statusCode()).as("the live stream opens").isEqualTo(200);
            StringBuffer received = new StringBuffer();
            CompletableFuture<String> ended = CompletableFuture.supplyAsync(
                    () -> {
                        try (BufferedReader lines =
                                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                received.append(line).append('\n');
                            }
                            return received.toString();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    READERS);
            return new Stream(received, ended);
        }

        String text() {
            return received.toString();
        }
    }
}
