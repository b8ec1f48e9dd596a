package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.PortalIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /api/v1/builds}: keyset pages with {@code Link: rel="next"} however far back, and each filter, on real
 * PostgreSQL with builds accepted through the API.
 */
@PortalIntegrationTest
class BuildHistoryApiIT {

    private static final Pattern NEXT = Pattern.compile("^<(/api/v1/builds\\?[^>]+)>; rel=\"next\"$");

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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
        team = accounts.team("history");
        viewer = accounts.member(team, "viewer");
    }

    @Test
    void pagesFollowTheLinkToTheOldestBuildWithoutSkippingOrRepeatingOne() {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            accepted.addFirst(adHoc("trunk", "linux/amd64").toString());
        }

        Answer first = viewer.get("/api/v1/builds?team=" + team + "&limit=3");
        String newcomer = adHoc("trunk", "linux/amd64").toString(); // arrives while the reader pages
        List<String> seen = new ArrayList<>(ids(first));
        Answer page = first;
        int pages = 1;
        while (page.header("Link") != null) {
            Matcher next = NEXT.matcher(page.header("Link"));
            assertThat(next.matches()).as(page.header("Link")).isTrue();
            assertThat(next.group(1)).contains("team=" + team).contains("limit=3");
            page = viewer.get(next.group(1));
            assertThat(page.status()).isEqualTo(200);
            seen.addAll(ids(page));
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(ids(first)).hasSize(3);
        assertThat(seen)
                .as("newest first in accepted order, each once, the newcomer not slipped in")
                .containsExactlyElementsOf(accepted);
        assertThat(ids(viewer.get("/api/v1/builds?team=" + team + "&limit=1"))).containsExactly(newcomer);
        assertThat(viewer.get("/api/v1/builds?team=" + team).header("Link"))
                .as("all 8 fit in the default 50")
                .isNull();
    }

    @Test
    void eachFilterFindsItsBuildsAndOnlyThem() {
        accounts.project(team, """
                {"slug": "app", "repository": "%s", "image": "127.0.0.1:5000/history/app",
                 "platforms": ["linux/amd64"]}""".formatted(repo.url()));
        UUID projectBuild = idOf(FarmAccounts.expect(
                accounts.member(team, "developer")
                        .post("/api/v1/projects/" + team + "/app/builds", "{\"ref\": \"trunk\"}"),
                202));
        jdbc.sql("update builds set trigger = 'WEBHOOK', requested_by = 'pusher' where id = :id")
                .param("id", projectBuild)
                .update(); // as if a push had started it
        UUID arm = adHoc("v1.0", "linux/arm64");
        UUID amd = adHoc("trunk", "linux/amd64");
        jdbc.sql("update builds set commit_sha = :sha, status = 'FAILED', created_at = :at where id = :id")
                .param("sha", "abcdef0123456789abcdef0123456789abcdef01")
                .param("at", Timestamp.from(Instant.parse("2026-01-02T10:00:00Z")))
                .param("id", arm)
                .update();
        String digest = "sha256:" + "e".repeat(64);
        jdbc.sql("""
                insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
                values (:id, :build, :digest, 'application/vnd.oci.image.index.v1+json', 100, '["1.4", "latest"]',
                        '{}', now())""")
                .param("id", UUID.randomUUID())
                .param("build", amd)
                .param("digest", digest)
                .update();
        String scope = "/api/v1/builds?team=" + team + "&";

        assertThat(ids(viewer.get(scope + "project=" + team + "/app"))).containsExactly(projectBuild.toString());
        assertThat(ids(viewer.get(scope + "ref=v1.0"))).containsExactly(arm.toString());
        assertThat(ids(viewer.get(scope + "ref=refs/heads/trunk")))
                .containsExactly(amd.toString(), projectBuild.toString());
        assertThat(ids(viewer.get(scope + "commit=ABCDEF0"))).containsExactly(arm.toString());
        assertThat(ids(viewer.get(scope + "status=failed"))).containsExactly(arm.toString());
        assertThat(ids(viewer.get(scope + "platform=aarch64")))
                .as("normalised like everywhere")
                .containsExactly(arm.toString());
        assertThat(ids(viewer.get(scope + "trigger=api"))).containsExactly(amd.toString(), arm.toString());
        assertThat(ids(viewer.get(scope + "trigger=WEBHOOK"))).containsExactly(projectBuild.toString());
        assertThat(ids(viewer.get(scope + "requestedBy=ADMIN"))).containsExactly(amd.toString(), arm.toString());
        assertThat(ids(viewer.get(scope + "since=2026-01-02&until=2026-01-02"))).containsExactly(arm.toString());
        assertThat(ids(viewer.get(scope + "until=" + enc("2026-01-02T10:00:00Z"))))
                .isEmpty();
        assertThat(ids(viewer.get(scope + "image=" + enc("127.0.0.1:5000/history/adhoc:1.4"))))
                .containsExactly(amd.toString());
        assertThat(ids(viewer.get(scope + "image=" + enc("127.0.0.1:5000/history/adhoc@" + digest))))
                .containsExactly(amd.toString());
        assertThat(ids(viewer.get(scope + "image=" + enc("127.0.0.1:5000/history/adhoc:2.0"))))
                .isEmpty();
        assertThat(ids(viewer.get(scope + "platform=linux/amd64&trigger=API")))
                .as("filters combine with AND")
                .containsExactly(amd.toString());
    }

    @Test
    void aWrongFilterIsA400NamingItsParameter() {
        Map<String, String> wrong = Map.ofEntries(
                Map.entry("limit=0", "limit"),
                Map.entry("limit=501", "limit"),
                Map.entry("limit=many", "limit"),
                Map.entry("cursor=bm90IG1pbmU", "cursor"),
                Map.entry("commit=abc", "commit"),
                Map.entry("commit=xyz1234", "commit"),
                Map.entry("status=DONE", "status"),
                Map.entry("platform=plan9/pdp11", "platform"),
                Map.entry("trigger=cron", "trigger"),
                Map.entry("since=yesterday", "since"),
                Map.entry("until=2026-13-01", "until"),
                Map.entry("since=2026-02-01&until=2026-01-01", "until"),
                Map.entry("image=" + enc("Not An Image:1"), "image"),
                Map.entry("image=" + enc("127.0.0.1:5000/a@sha256:beef"), "image"),
                Map.entry("image=" + enc("127.0.0.1:5000/a:-bad"), "image"),
                Map.entry("project=" + "no-slash", "project"),
                Map.entry("ref=refs/notes/x", "ref"));
        wrong.forEach((query, parameter) -> {
            Answer answer = viewer.get("/api/v1/builds?" + query);
            assertThat(answer.status()).as(query + ": " + answer).isEqualTo(400);
            assertThat(answer.json().path("field").asString()).as(query).isEqualTo(parameter);
            assertThat(answer.problemDetail()).as(query).isNotBlank();
        });
    }

    @Test
    void anotherTeamsBuildsAreNeitherListedNorFoundByName() {
        UUID mine = adHoc("trunk", "linux/amd64");
        PortalApi outsider = accounts.member(accounts.team("elsewhere"), "maintainer");

        assertThat(ids(outsider.get("/api/v1/builds?limit=500"))).doesNotContain(mine.toString());
        assertThat(outsider.get("/api/v1/builds?team=" + team).status()).isEqualTo(404);
        assertThat(outsider.get("/api/v1/builds?project=" + team + "/app").status())
                .isEqualTo(404);
        assertThat(ids(accounts.admin().get("/api/v1/builds?team=" + team))).contains(mine.toString());
    }

    /** An ad-hoc build of the team, accepted through the API by the admin. */
    private UUID adHoc(String ref, String platform) {
        return idOf(FarmAccounts.expect(
                accounts.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "%s", "platforms": ["%s"],
                 "image": "127.0.0.1:5000/history/adhoc"}""".formatted(team, repo.url(), ref, platform)), 202));
    }

    private static UUID idOf(Answer accepted) {
        return UUID.fromString(accepted.json().path("id").asString());
    }

    private static List<String> ids(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return StreamSupport.stream(answer.json().spliterator(), false)
                .map(build -> build.path("id").asString())
                .toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
