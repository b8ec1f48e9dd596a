package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.JobCache;
import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.PortalIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build pages and the fleet page over HTTP with a signed-in session, on real PostgreSQL. The scheduler's side
 * (platform jobs, attempts, log chunks, workers) is written here as the scheduler writes it.
 */
@PortalIntegrationTest
class BuildPagesIT {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts accounts;
    String team;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void team() {
        accounts = new FarmAccounts(port);
        team = accounts.team("pages");
    }

    @Test
    void aBuildPageShowsEachPlatformAndItsLogAsReadableEscapedText() {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "RUNNING", 1);
        chunk(job, 1, 1, "\u001B[31mred\u001B[0m and <script>window.pwned=1</script>\n");
        PortalApi viewer = signedIn("viewer");

        Answer page = viewer.get("/builds/" + build);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("data-platform=\"linux/amd64\" data-status=\"RUNNING\"")
                .contains("=== attempt 1 on worker w-pages (NATIVE) ===")
                .contains("red and &lt;script&gt;window.pwned=1&lt;/script&gt;")
                .contains("data-cursor=\"1.1\"")
                .doesNotContain("<script>window.pwned")
                .doesNotContain("\u001B")
                // a viewer sees no cancel button
                .doesNotContain("id=\"cancel-build\"");
        assertThat(viewer.get("/builds/" + build + "/log?platform=linux/amd64").body())
                .as("the raw log keeps every byte")
                .contains("\u001B[31mred");
    }

    @Test
    void theLiveStreamSendsWhatFollowsTheCursorThenEndsWithTheBuild() {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "FAILED", 1);
        chunk(job, 1, 1, "first chunk\n");
        chunk(job, 1, 2, "second chunk\n");
        jdbc.sql("update builds set status = 'FAILED', finished_at = now() where id = :id")
                .param("id", build)
                .update();

        Answer stream = signedIn("viewer")
                .get("/builds/" + build + "/live?cursor="
                        + URLEncoder.encode("linux/amd64@1.1", StandardCharsets.UTF_8));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.body())
                .contains("event:state")
                .contains("second chunk")
                .doesNotContain("first chunk")
                .contains("\"cursor\":\"1.2\"")
                .contains("event:end");
    }

    @Test
    void eachPlatformShowsWhereItsTimeWent() {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "SUCCEEDED", 1);
        job(build, "linux/s390x", "RUNNING", 1);
        jdbc.sql("""
                update platform_jobs set phases = '{"queueWait": 12, "fetch": 41, "build": 2400, "push": 77}'
                where id = :id""").param("id", job).update();

        String page = signedIn("developer").get("/builds/" + build).body();

        assertThat(page)
                .contains("Where the time went")
                .contains("queue 12 ms · ")
                .contains("fetch 41 ms · ")
                .contains("build 2.4 s · ")
                .contains("push 77 ms<")
                .as("a phase not measured is not shown as 0")
                .doesNotContain("claim 0 ms");
    }

    @Test
    void eachPlatformShowsHowManyStepsItsLayerCacheServedAndWhich() {
        UUID build = build();
        UUID job = job(build, "linux/amd64", "SUCCEEDED", 1);
        job(build, "linux/s390x", "RUNNING", 1);
        JobCache cache = new JobCache(
                "REFRESH",
                team + "/linux/amd64/1",
                List.of(
                        new JobCache.Step("1/5", "FROM base", true),
                        new JobCache.Step("2/5", "RUN echo <script>window.pwned=1</script>", true),
                        new JobCache.Step("3/5", "COPY . /src", true),
                        new JobCache.Step("4/5", "RUN make", false),
                        new JobCache.Step("5/5", "CMD [\"/app\"]", false)));
        jdbc.sql("update platform_jobs set cache = cast(:cache as jsonb) where id = :id")
                .param("cache", JsonMapper.builder().build().writeValueAsString(cache))
                .param("id", job)
                .update();

        String page = signedIn("viewer").get("/builds/" + build).body();

        assertThat(page)
                .contains("<th>Layer cache</th>")
                .contains("3 of 5 cached")
                .contains("data-hits=\"3\" data-steps=\"5\"")
                .containsPattern("<li class=\"miss\" data-hit=\"false\"><code>4/5</code> <span class=\"chip\">built"
                        + "</span>\\s*<code>RUN make</code></li>")
                .containsPattern("<li class=\"hit\" data-hit=\"true\"><code>1/5</code> <span class=\"chip\">cached"
                        + "</span>\\s*<code>FROM base</code></li>")
                .contains("RUN echo &lt;script&gt;window.pwned=1&lt;/script&gt;")
                .doesNotContain("<script>window.pwned")
                .contains("Image store on the worker: " + team + "/linux/amd64/1")
                .as("the build's own setting")
                .contains("id=\"build-layer-cache\" data-layer-cache=\"use\"");
        assertThat(page.split("<details", -1))
                .as("only the platform that reported its cache")
                .hasSize(2);
    }

    @Test
    void eachPlatformShowsWhetherItsPreferredWorkerTookIt() {
        UUID build = build();
        UUID hit = job(build, "linux/amd64", "SUCCEEDED", 1);
        UUID miss = job(build, "linux/s390x", "RUNNING", 1);
        jdbc.sql("update platform_jobs set affinity = 'HIT', affinity_worker = 'w-amd' where id = :id")
                .param("id", hit)
                .update();
        jdbc.sql("update platform_jobs set affinity = 'MISS', affinity_worker = 'w-zed' where id = :id")
                .param("id", miss)
                .update();

        String page = signedIn("developer").get("/builds/" + build).body();

        assertThat(page)
                .contains("Cache affinity")
                .contains("data-affinity=\"HIT\">hit<")
                .contains("data-affinity=\"MISS\">miss (w-zed preferred)<");
    }

    @Test
    void aFailedPlatformGetsAPanelWithItsFirstErrorLines() {
        UUID build = build();
        job(build, "linux/amd64", "SUCCEEDED", 1);
        UUID job = job(build, "linux/s390x", "FAILED", 1);
        jdbc.sql("update platform_jobs set error = :error where id = :id")
                .param("id", job)
                .param("error", "step failed: RUN false exited with code 1; buildah exited with code 1\n(tail)")
                .update();
        chunk(job, 1, 1, "STEP 2/2: RUN false\nError: building at STEP \"RUN false\": exit status 1\nmore\n");
        jdbc.sql("update builds set status = 'FAILED', finished_at = now() where id = :id")
                .param("id", build)
                .update();

        String page = signedIn("developer").get("/builds/" + build).body();

        assertThat(page)
                .contains("id=\"failed-step\"")
                .contains("step failed: RUN false exited with code 1; buildah exited with code 1")
                .contains("Error: building at STEP &quot;RUN false&quot;: exit status 1")
                .contains("id=\"retry-build\"")
                .contains("Retry failed platforms (linux/s390x)");
    }

    @Test
    void someoneOutsideTheTeamGetsTheSameNotFoundAsForNoBuild() {
        UUID build = build();
        PortalApi outsider = signedInOutside();

        Answer page = outsider.get("/builds/" + build);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("build " + build + " does not exist");
        assertThat(outsider.get("/builds/" + build + "/live").status()).isEqualTo(404);
        assertThat(outsider.get("/builds/" + build + "/log?platform=linux/amd64")
                        .status())
                .isEqualTo(404);
        assertThat(outsider.get("/builds/not-a-uuid").status()).isEqualTo(404);
        assertThat(outsider.get("/builds").body()).doesNotContain(build.toString());
    }

    @Test
    void developersCancelFromThePageViewersMayNot() {
        UUID build = build();
        job(build, "linux/amd64", "RUNNING", 1);

        Answer refused = form(signedIn("viewer"), "/builds/" + build, "/builds/" + build + "/cancel", Map.of());
        assertThat(refused.status()).isEqualTo(403);

        Answer cancelled = form(signedIn("developer"), "/builds/" + build, "/builds/" + build + "/cancel", Map.of());
        assertThat(cancelled.status()).isEqualTo(302);
        assertThat(cancelled.location()).endsWith("/builds/" + build);
        assertThat(jdbc.sql("select count(*) from outbox where routing_key = 'build.cancel-requested'"
                                + " and payload->>'buildId' = :id")
                        .param("id", build.toString())
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        UUID build = build();
        PortalApi developer = signedIn("developer");
        Answer answer = developer.postForm("/builds/" + build + "/cancel", "");
        assertThat(answer.status()).isEqualTo(403);
    }

    @Test
    void theNewBuildFormShowsEachRefusalNextToItsField() {
        PortalApi developer = signedIn("developer");
        long before = jdbc.sql("select count(*) from builds").query(Long.class).single();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("project", "");
        fields.put("team", team);
        fields.put("repository", repo.url());
        fields.put("image", "Not A Valid Image");
        fields.put("platforms", "linux/bogus");
        fields.put("tags", "ok\n-bad tag");

        Answer answer = form(developer, "/builds/new", "/builds/new", fields);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body())
                .contains("class=\"field-error\" data-field=\"image\"")
                .contains("class=\"field-error\" data-field=\"platforms\"")
                .contains("class=\"field-error\" data-field=\"tags\"")
                .contains("value=\"Not A Valid Image\"");
        assertThat(jdbc.sql("select count(*) from builds").query(Long.class).single())
                .isEqualTo(before);
    }

    @Test
    void theNewBuildFormStartsAProjectBuildAtARef() {
        accounts.project(team, """
                {"slug": "app", "repository": "%s", "image": "127.0.0.1:5000/pages/app", "platforms": ["linux/amd64"]}""".formatted(repo.url()));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("project", team + "/app");
        fields.put("ref", "trunk");
        fields.put("platforms", "linux/arm64");
        fields.put("noCache", "true");
        PortalApi developer = signedIn("developer");
        assertThat(developer.get("/builds/new").body())
                .containsPattern("<input type=\"checkbox\" id=\"no-cache\" name=\"noCache\" value=\"true\"\\s+aria");

        Answer answer = form(developer, "/builds/new", "/builds/new", fields);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
        UUID id = UUID.fromString(answer.location().substring(answer.location().lastIndexOf('/') + 1));
        Map<String, Object> row = jdbc.sql("select trigger, ref, platforms::text as platforms, build_number, no_cache"
                        + " from builds where id = :id")
                .param("id", id)
                .query()
                .singleRow();
        assertThat(row)
                .containsEntry("trigger", "UI")
                .containsEntry("ref", "trunk")
                .containsEntry("platforms", "[\"linux/arm64\"]")
                .containsEntry("build_number", 1L)
                .as("'without cache' ticked")
                .containsEntry("no_cache", true);
    }

    @Test
    void theFleetPageShowsWorkersToEveryoneAndDrainButtonsToAdmins() {
        String worker = FarmAccounts.unique("w");
        jdbc.sql("""
                insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, first_seen,
                                     last_seen, storage_driver)
                values (:id, 'host-1', '["linux/amd64"]', '["linux/s390x"]', 2, 1, 'ONLINE', now(), now(),
                        'overlay')""").param("id", worker).update();
        UUID build = build();
        UUID job = job(build, "linux/s390x", "RUNNING", 1);
        jdbc.sql("update platform_jobs set worker_id = :w, mode = 'EMULATED' where id = :id")
                .param("w", worker)
                .param("id", job)
                .update();

        String asMember = signedIn("viewer").get("/workers").body();
        assertThat(asMember)
                .contains("data-worker=\"" + worker + "\"")
                .contains("1 / 2")
                .contains("/builds/" + build)
                .doesNotContain("class=\"drain\"")
                .contains("<td class=\"storage-driver\">overlay</td>");
        String asOutsider = signedInOutside().get("/workers").body();
        assertThat(asOutsider)
                .contains("data-worker=\"" + worker + "\"")
                .doesNotContain("/builds/" + build)
                .contains("a build of another team");
        PortalApi admin = new PortalApi(port).signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        assertThat(admin.get("/workers").body()).contains("class=\"drain\"");
        assertThat(form(signedIn("maintainer"), "/workers", "/workers/" + worker + "/drain", Map.of())
                        .status())
                .isEqualTo(403);
    }

    /** An ad-hoc build of the team, recorded through the API (so the portal wrote it as it always does). */
    private UUID build() {
        Answer answer =
                FarmAccounts.expect(accounts.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["linux/amd64", "linux/s390x"],
                 "image": "127.0.0.1:5000/pages/app"}""".formatted(team, repo.url())), 202);
        return UUID.fromString(answer.json().path("id").asString());
    }

    private UUID job(UUID build, String platform, String status, int attempt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode,
                                           worker_id, queued_at, started_at)
                values (:id, :build, :platform, 'NATIVE_PREFERRED', :status, :attempt, 3, 'NATIVE', 'w-pages', now(),
                        now())""")
                .param("id", id)
                .param("build", build)
                .param("platform", platform)
                .param("status", status)
                .param("attempt", attempt)
                .update();
        jdbc.sql("""
                insert into job_attempts (job_id, attempt, worker_id, mode, started_at)
                values (:id, :attempt, 'w-pages', 'NATIVE', :now)""")
                .param("id", id)
                .param("attempt", attempt)
                .param("now", OffsetDateTime.now())
                .update();
        jdbc.sql("update builds set status = 'RUNNING', started_at = now() where id = :id and status = 'QUEUED'")
                .param("id", build)
                .update();
        return id;
    }

    private void chunk(UUID job, int attempt, long seq, String content) {
        jdbc.sql("insert into job_logs (job_id, attempt, seq, content) values (:job, :attempt, :seq, :content)")
                .param("job", job)
                .param("attempt", attempt)
                .param("seq", seq)
                .param("content", content)
                .update();
    }

    /** Someone with {@code role} in the test's team, signed in through the sign-in form. */
    private PortalApi signedIn(String role) {
        String username = FarmAccounts.unique(role);
        createUser(username);
        FarmAccounts.expect(
                accounts.admin().put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"" + role + "\"}"),
                201);
        return new PortalApi(port).signIn(username, FarmAccounts.PASSWORD);
    }

    private PortalApi signedInOutside() {
        String username = FarmAccounts.unique("outsider");
        createUser(username);
        return new PortalApi(port).signIn(username, FarmAccounts.PASSWORD);
    }

    private void createUser(String username) {
        FarmAccounts.expect(
                accounts.admin()
                        .post(
                                "/api/v1/users",
                                "{\"username\":\"%s\",\"password\":\"%s\"}".formatted(username, FarmAccounts.PASSWORD)),
                201);
    }

    /** Posts a form as the browser would: with the session's CSRF token, taken from {@code page}. */
    private static Answer form(PortalApi session, String page, String action, Map<String, String> fields) {
        Matcher csrf = CSRF.matcher(session.get(page).body());
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (csrf.find()) {
            all.put("_csrf", csrf.group(1));
        }
        String body = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return session.postForm(action, body);
    }
}
