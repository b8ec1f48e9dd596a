package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.PortalIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/builds/{id}/events}, the event stream of API clients, end to end at the portal: a real token,
 * the build accepted through the API, its platform jobs and log chunks written as the scheduler writes them while
 * the stream is open, read as a client reads it.
 */
@PortalIntegrationTest
class BuildEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BuildLogs logs;

    FarmAccounts accounts;
    String team;
    PortalApi viewer;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void team() {
        accounts = new FarmAccounts(port);
        team = accounts.team("events");
        viewer = accounts.member(team, "viewer");
    }

    @Test
    void aClientFollowsABuildWithItsTokenFromTheFirstStateToTheEnd() throws Exception {
        UUID build = build();
        JsonNode accepted = viewer.get("/api/v1/builds/" + build).json();

        EventStream stream = EventStream.read(viewer.openStream("/api/v1/builds/" + build + "/events"));

        await().atMost(WAIT).until(() -> !stream.events().isEmpty());
        assertThat(stream.events().getFirst().name()).isEqualTo("build");
        assertThat(stream.events().getFirst().json())
                .as("exactly as GET /api/v1/builds/{id}")
                .isEqualTo(accepted);

        UUID job = job(build, "linux/amd64", "RUNNING");
        await().atMost(WAIT).until(() -> stream.named("build").size() >= 2);
        JsonNode running = stream.named("build").getLast().json();
        assertThat(running.path("status").asString()).isEqualTo("RUNNING");
        assertThat(running.path("platforms").get(0).path("status").asString()).isEqualTo("RUNNING");
        assertThat(running.path("platforms").get(0).path("worker").asString()).isEqualTo("w-events");

        chunk(job, 1, "STEP 1/2: FROM base\n");
        chunk(job, 2, "STEP 2/2: RUN make\n");
        await().atMost(WAIT)
                .until(() -> stream.named("log").stream()
                        .anyMatch(event -> event.data().contains("RUN make")));
        chunk(job, 3, "done\n");
        end(build, job, "SUCCEEDED");

        stream.ended().get(30, TimeUnit.SECONDS);
        assertThat(stream.names().getLast()).as("the stream closes after end").isEqualTo("end");
        assertThat(stream.named("end")).hasSize(1);
        JsonNode ended = stream.named("end").getFirst().json();
        assertThat(ended)
                .as("the final build, as the API answers it")
                .isEqualTo(viewer.get("/api/v1/builds/" + build).json());
        assertThat(ended.path("status").asString()).isEqualTo("SUCCEEDED");
        String log = String.join(
                "",
                stream.named("log").stream()
                        .map(event -> event.json().path("text").asString())
                        .toList());
        assertThat(log)
                .as("every chunk once, in order")
                .isEqualTo(
                        "=== attempt 1 on worker w-events (NATIVE) ===\nSTEP 1/2: FROM base\nSTEP 2/2: RUN make\ndone\n");
        JsonNode lastLog = stream.named("log").getLast().json();
        assertThat(lastLog.path("platform").asString()).isEqualTo("linux/amd64");
        assertThat(lastLog.path("cursor").asString()).isEqualTo("linux/amd64@1.3");
        assertThat(stream.events())
                .allSatisfy(
                        event -> assertThat(event.data()).as("one line of JSON").doesNotContain("\n"));
    }

    /**
     * A page opened after the claim and before the worker's first chunk (numbered 0) shows the attempt's header; its
     * stream goes on from there and still sends that first chunk (a cursor of "1.0" skipped it: seen in CI, where a
     * build page never showed the step that then slept for two minutes).
     */
    @Test
    void aPageOpenedBeforeTheFirstChunkStillGetsIt() {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "RUNNING");

        BuildLogs.LogTail tail = logs.tail(build, "linux/amd64", 10_000);
        assertThat(tail.text()).isEqualTo("=== attempt 1 on worker w-events (NATIVE) ===\n");
        chunk(job, 0, "STEP 1/2: FROM base\nSTEP 2/2: RUN sleep 120\n");

        assertThat(logs.after(
                        build, "linux/amd64", LogCursor.parse(tail.cursor().toString()), 100))
                .extracting(BuildLogs.LiveChunk::text)
                .containsExactly("STEP 1/2: FROM base\nSTEP 2/2: RUN sleep 120\n");
        assertThat(LogCursor.parseExactly(tail.cursor().toString())).contains(tail.cursor());
    }

    @Test
    void aClientComesBackWithItsCursorsAndSeesNothingTwice() throws Exception {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "RUNNING");
        chunk(job, 1, "seen before\n");
        chunk(job, 2, "not seen yet\n");
        end(build, job, "FAILED");

        EventStream stream = EventStream.read(viewer.openStream("/api/v1/builds/" + build + "/events?cursor="
                + URLEncoder.encode("linux/amd64@1.1", StandardCharsets.UTF_8)));

        stream.ended().get(30, TimeUnit.SECONDS);
        assertThat(stream.names()).containsExactly("build", "log", "end");
        assertThat(stream.named("log").getFirst().json().path("text").asString())
                .isEqualTo("not seen yet\n");
        assertThat(stream.named("end").getFirst().json().path("status").asString())
                .isEqualTo("FAILED");
    }

    @Test
    void withoutLogsOnlyTheBuildChangesAreSent() throws Exception {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "RUNNING");
        chunk(job, 1, "a log line\n");
        end(build, job, "SUCCEEDED");

        EventStream stream = EventStream.read(viewer.openStream("/api/v1/builds/" + build + "/events?logs=false"));

        stream.ended().get(30, TimeUnit.SECONDS);
        assertThat(stream.names()).containsExactly("build", "end");
    }

    @Test
    void aQuietStreamGetsAKeepAliveComment() {
        UUID build = build();
        job(build, "linux/amd64", "RUNNING");

        EventStream stream = EventStream.read(viewer.openStream("/api/v1/builds/" + build + "/events"));

        await().atMost(WAIT).until(() -> stream.comments().contains(": keep-alive"));
        assertThat(stream.ended()).isNotDone();
    }

    @Test
    void aBuildOfAnotherTeamIsNotFoundExactlyLikeTheBuildItself() {
        UUID build = build();
        PortalApi outsider = accounts.member(accounts.team("other"), "maintainer");

        Answer stream = drained(outsider.openStream("/api/v1/builds/" + build + "/events"));
        Answer view = outsider.get("/api/v1/builds/" + build);

        assertThat(stream.status()).isEqualTo(404);
        assertThat(view.status()).isEqualTo(404);
        assertThat(stream.problemDetail()).isEqualTo(view.problemDetail()).contains(build.toString());
        assertThat(drained(viewer.openStream("/api/v1/builds/" + UUID.randomUUID() + "/events"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aBadTokenOrNoneIsUnauthorized() {
        UUID build = build();

        Answer badToken =
                drained(new PortalApi(port).withToken("not-a-token").openStream("/api/v1/builds/" + build + "/events"));
        Answer noToken = drained(new PortalApi(port).openStream("/api/v1/builds/" + build + "/events"));

        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.problemDetail()).isNotBlank();
        assertThat(badToken.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.problemDetail()).contains("Authorization: Bearer");
    }

    @Test
    void aCursorTheStreamDidNotGiveIsRefusedNamingIt() {
        UUID build = build();

        Answer malformed = drained(viewer.openStream("/api/v1/builds/" + build + "/events?cursor=yesterday"));
        Answer otherPlatform = drained(viewer.openStream("/api/v1/builds/" + build + "/events?cursor="
                + URLEncoder.encode("linux/riscv64@1.2", StandardCharsets.UTF_8)));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("field").asString()).isEqualTo("cursor");
        assertThat(malformed.problemDetail()).contains("'yesterday'");
        assertThat(otherPlatform.status()).isEqualTo(400);
        assertThat(otherPlatform.problemDetail()).contains("linux/riscv64");
    }

    @Test
    void aSignedInPageSessionFollowsTooButOpensNoOtherPartOfTheApi() throws Exception {
        UUID build = build();
        PortalApi browser = new PortalApi(port).signIn(accounts.username(team, "viewer"), FarmAccounts.PASSWORD);

        EventStream stream = EventStream.read(browser.openStream("/api/v1/builds/" + build + "/events"));
        await().atMost(WAIT).until(() -> !stream.named("build").isEmpty());

        assertThat(browser.get("/api/v1/builds/" + build).status())
                .as("the rest of the API takes tokens only")
                .isEqualTo(401);
    }

    /** A build of the team on linux/amd64, accepted through the API. */
    private UUID build() {
        Answer answer =
                FarmAccounts.expect(accounts.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/events/app"}""".formatted(team, repo.url())), 202);
        return UUID.fromString(answer.json().path("id").asString());
    }

    /** The job fanned out and claimed, as the scheduler records it. */
    private UUID job(UUID build, String platform, String status) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode,
                                           worker_id, queued_at, started_at)
                values (:id, :build, :platform, 'NATIVE_PREFERRED', :status, 1, 3, 'NATIVE', 'w-events', now(),
                        now())""")
                .param("id", id)
                .param("build", build)
                .param("platform", platform)
                .param("status", status)
                .update();
        jdbc.sql("""
                insert into job_attempts (job_id, attempt, worker_id, mode, started_at)
                values (:id, 1, 'w-events', 'NATIVE', :now)""").param("id", id).param("now", OffsetDateTime.now()).update();
        jdbc.sql("update builds set status = 'RUNNING', started_at = now() where id = :id")
                .param("id", build)
                .update();
        return id;
    }

    private void chunk(UUID job, long seq, String content) {
        jdbc.sql("insert into job_logs (job_id, attempt, seq, content) values (:job, 1, :seq, :content)")
                .param("job", job)
                .param("seq", seq)
                .param("content", content)
                .update();
    }

    /** The job and the build end, as the scheduler ends them. */
    private void end(UUID build, UUID job, String status) {
        jdbc.sql("update platform_jobs set status = :status, finished_at = now(), version = version + 1"
                        + " where id = :id")
                .param("status", status)
                .param("id", job)
                .update();
        jdbc.sql("update builds set status = :status, finished_at = now(), version = version + 1 where id = :id")
                .param("status", status)
                .param("id", build)
                .update();
    }

    /** A refused stream's answer, read whole. */
    private static Answer drained(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    null,
                    new String(body.readAllBytes(), StandardCharsets.UTF_8),
                    response.headers());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
