package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.PortalIntegrationTest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.HtmlUtils;

/**
 * The builds page's search, as a browser without JavaScript uses it: a GET form whose every filter is in the URL,
 * results a page at a time with an "Older" link that carries the cursor and the filters, a wrong filter shown next
 * to its field.
 */
@PortalIntegrationTest
class BuildSearchPageIT {

    private static final Pattern BUILD_ROW = Pattern.compile("<tr data-build=\"([0-9a-f-]{36})\"");
    private static final Pattern OLDER = Pattern.compile("id=\"older-builds\" href=\"([^\"]+)\"");

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts accounts;
    String team;
    PortalApi browser;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void signIn() {
        accounts = new FarmAccounts(port);
        team = accounts.team("search");
        browser = new PortalApi(port).signIn(accounts.username(team, "viewer"), FarmAccounts.PASSWORD);
    }

    @Test
    void aSearchIsAGetFormWhoseFiltersStayInTheUrlAndInTheForm() {
        UUID arm = build("linux/arm64");
        UUID amd = build("linux/amd64");
        jdbc.sql("update builds set status = 'FAILED', commit_sha = :sha where id = :id")
                .param("id", arm)
                .param("sha", "0123abcd" + "0".repeat(32))
                .update();

        Answer page = browser.get("/builds?status=FAILED&platform=linux/arm64&commit=0123abc&since=2020-01-01");

        assertThat(page.status()).isEqualTo(200);
        assertThat(rows(page)).containsExactly(arm.toString());
        assertThat(page.body())
                .contains("<form id=\"build-search\" class=\"search\" method=\"get\" action=\"/builds\">")
                .containsPattern("<option value=\"FAILED\"\\s+selected=\"selected\">FAILED</option>")
                .containsPattern("<option value=\"linux/arm64\"\\s+selected=\"selected\">linux/arm64</option>")
                .contains("value=\"0123abc\"")
                .contains("value=\"2020-01-01\"");
        assertThat(rows(browser.get("/builds?platform=linux/amd64"))).containsExactly(amd.toString());
        assertThat(rows(browser.get("/builds?commit=0123abc&status=SUCCEEDED"))).isEmpty();
        assertThat(browser.get("/builds?commit=0123abc&status=SUCCEEDED").body())
                .contains("No build matches this search.");
    }

    @Test
    void olderBuildsArePagesWithTheCursorAndTheFiltersInTheirLink() {
        UUID oldest = build("linux/amd64");
        UUID middle = build("linux/amd64");
        UUID newest = build("linux/amd64");
        build("linux/arm64");

        Answer first = browser.get("/builds?platform=linux/amd64&limit=2");
        assertThat(rows(first)).containsExactly(newest.toString(), middle.toString());
        Matcher older = OLDER.matcher(first.body());
        assertThat(older.find()).as("an Older link").isTrue();
        String link = HtmlUtils.htmlUnescape(older.group(1));
        assertThat(link)
                .startsWith("/builds?")
                .contains("platform=linux%2Famd64")
                .contains("limit=2")
                .contains("cursor=");

        Answer second = browser.get(link);
        assertThat(rows(second)).containsExactly(oldest.toString());
        assertThat(second.body()).doesNotContain("id=\"older-builds\"").contains("id=\"newest-builds\"");
    }

    @Test
    void aWrongFilterIsShownNextToItsFieldWithTheApisWords() {
        Answer page = browser.get("/builds?commit=xyz");

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body())
                .contains("class=\"field-error\" data-field=\"commit\"")
                .contains("commit &#39;xyz&#39; is not a commit id or a prefix of one")
                .containsPattern("id=\"search-commit\" name=\"commit\" value=\"xyz\"[^>]*class=\"invalid\"");
    }

    @Test
    void anotherTeamsBuildsAreNotFound() {
        UUID mine = build("linux/amd64");
        PortalApi outsider = new PortalApi(port).signIn(accounts.username(null, "outsider"), FarmAccounts.PASSWORD);

        assertThat(rows(outsider.get("/builds?all=1"))).doesNotContain(mine.toString());
        assertThat(outsider.get("/builds?project=" + team + "/app").status()).isEqualTo(404);
    }

    private UUID build(String platform) {
        Answer answer = FarmAccounts.expect(
                accounts.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["%s"],
                 "image": "127.0.0.1:5000/search/app"}""".formatted(team, repo.url(), platform)), 202);
        return UUID.fromString(answer.json().path("id").asString());
    }

    private static List<String> rows(Answer page) {
        return BUILD_ROW
                .matcher(page.body())
                .results()
                .map(match -> match.group(1))
                .toList();
    }
}
