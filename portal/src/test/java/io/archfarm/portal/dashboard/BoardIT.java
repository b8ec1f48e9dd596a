package io.archfarm.portal.dashboard;

import static io.archfarm.portal.FarmAccounts.expect;
import static io.archfarm.portal.dashboard.PanelHtml.rows;
import static io.archfarm.portal.dashboard.PanelHtml.section;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.sessions.Browser;
import io.archfarm.portal.sessions.Browser.Page;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The wall board and its board tokens, over real HTTP as a browser and a wall screen use them: who sees which teams'
 * builds, what a board token opens (the board's pages) and what it does not (every other page, the API), and what a
 * page's script gets once its session or token is gone (401 and HX-Refresh, never the sign-in form).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "archfarm.portal.scheduling=false")
@Import(ArchfarmTestServices.class)
class BoardIT {

    private static final Map<String, String> HTMX = Map.of("HX-Request", "true");
    private static final List<String> BOARD_PANELS = List.of("/board/active", "/board/queue", "/board/fleet");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts farm;
    BuildRows rows;
    String teamA;
    String teamB;
    UUID runningA;
    UUID queuedA;
    UUID runningB;
    UUID outsideAnyTeam;

    /** A: a build running (amd64 on a worker, arm64 in the emulated queue) and one queued; B, no team: one each. */
    @BeforeEach
    void seed() {
        farm = new FarmAccounts(port);
        rows = new BuildRows(jdbc, Instant.now());
        teamA = farm.team("board-a");
        teamB = farm.team("board-b");
        runningA = rows.build(rows.teamId(teamA), "RUNNING", "refs/heads/a-running", null);
        rows.job(runningA, "linux/amd64", "RUNNING", "NATIVE", 0);
        rows.job(runningA, "linux/arm64", "QUEUED", null, 0);
        rows.queuedIn(runningA, "linux/arm64", "EMULATED");
        queuedA = rows.build(rows.teamId(teamA), "QUEUED", "refs/heads/a-queued", null);
        rows.job(queuedA, "linux/s390x", "QUEUED", null, 0);
        runningB = rows.build(rows.teamId(teamB), "RUNNING", "refs/heads/b-running", null);
        rows.job(runningB, "linux/arm64", "RUNNING", "EMULATED", 0);
        outsideAnyTeam = rows.build(null, "RUNNING", "refs/heads/ad-hoc", null);
        rows.job(outsideAnyTeam, "linux/amd64", "RUNNING", "NATIVE", 0);
    }

    // ---------------------------------------------------------------- people

    @Test
    void aMemberSeesTheBuildsOfTheirTeamsAndOfNoOtherTeam() {
        String teamC = farm.team("board-c");
        String member = person();
        join(member, teamA, "viewer");
        join(member, teamC, "viewer");
        PortalApi browser = new PortalApi(port).signIn(member, FarmAccounts.PASSWORD);

        Answer board = browser.get("/board");

        assertThat(board.status()).isEqualTo(200);
        String active = section(board.body(), "board-active");
        assertThat(rows(active)).containsExactly(runningA.toString(), queuedA.toString());
        assertThat(active)
                .contains("data-running=\"1\" data-queued=\"1\"")
                .contains("data-platform=\"linux/amd64\" data-status=\"RUNNING\"")
                .contains("data-platform=\"linux/arm64\" data-status=\"QUEUED\"")
                .contains("data-platform=\"linux/s390x\" data-status=\"QUEUED\"")
                .contains("href=\"/builds/" + runningA + "\"")
                .contains(">" + teamA + "<");
        assertThat(section(board.body(), "board-queue"))
                .contains("<tr data-platform=\"linux/arm64\" data-mode=\"EMULATED\">");
        assertThat(board.body())
                .contains("id=\"signed-in-as\"")
                .contains("Team " + teamA)
                .contains("Team " + teamC)
                .doesNotContain("Team " + teamB);
        for (String page : withPanels("/board")) {
            String body = browser.get(page).body();
            assertThat(body)
                    .as(page)
                    .doesNotContain(runningB.toString())
                    .doesNotContain(outsideAnyTeam.toString())
                    .doesNotContain("b-running")
                    .doesNotContain("ad-hoc");
        }
        assertThat(queueCount(browser.get("/board/queue").body(), "linux/arm64", "EMULATED"))
                .as("this board's teams: A's arm64 job, not B's running one")
                .isEqualTo(1);
    }

    @Test
    void anAdminSeesEveryTeamAndTheBuildsOutsideAnyTeam() {
        PortalApi admin = new PortalApi(port).signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);

        Answer board = admin.get("/board");

        assertThat(board.status()).isEqualTo(200);
        assertThat(rows(section(board.body(), "board-active")))
                .contains(runningA.toString(), queuedA.toString(), runningB.toString(), outsideAnyTeam.toString());
        assertThat(board.body()).contains("Every team").contains("id=\"board-tokens-link\"");
    }

    // ---------------------------------------------------------------- board tokens

    @Test
    void aBoardTokenOpensTheBoardsPagesAndNothingElse() {
        String maintainer = person();
        join(maintainer, teamA, "maintainer");
        JsonNode created = newToken(maintainer, "{\"name\": \"office wall\", \"teams\": [\"" + teamA + "\"]}");
        String token = created.path("token").asString();
        assertThat(token).startsWith("afb_").hasSize(47);
        assertThat(created.path("signInUrl").asString()).endsWith("/board/sign-in#token=" + token);
        assertThat(created.path("teams").valueStream().map(JsonNode::asString)).containsExactly(teamA);

        Browser screen = new Browser();
        Page signedIn = signInScreen(screen, token);

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/board");
        assertThat(setCookie(signedIn, "ARCHFARM_BOARD"))
                .startsWith("ARCHFARM_BOARD=" + token + ";")
                .contains("Path=/board")
                .contains("HttpOnly")
                .contains("SameSite=Lax")
                .contains("Max-Age=");
        Page board = screen.get(port, "/board");
        assertThat(board.status()).isEqualTo(200);
        assertThat(rows(section(board.body(), "board-active")))
                .containsExactly(runningA.toString(), queuedA.toString());
        assertThat(board.body())
                .as("no header, no link to another page, no form")
                .doesNotContain("id=\"signed-in-as\"")
                .doesNotContain("href=\"/builds/")
                .doesNotContain("<form")
                .doesNotContain("board-tokens-link")
                .contains("Board token office wall");
        for (String panel : BOARD_PANELS) {
            assertThat(screen.get(port, panel, HTMX).status()).as(panel).isEqualTo(200);
        }

        // this browser sends the cookie everywhere (a real one sends it only under /board): the portal still refuses
        for (String path : List.of(
                "/",
                "/builds",
                "/builds/" + runningA,
                "/builds/" + runningA + "/panel",
                "/builds/new",
                "/projects",
                "/workers",
                "/board-tokens",
                "/dashboard/active?of=" + teamA)) {
            assertThat(screen.get(port, path).sentToSignIn()).as(path).isTrue();
        }
        for (String api : List.of("/api/v1/builds", "/api/v1/users/me", "/api/v1/board-tokens")) {
            Answer answer = new PortalApi(port).withToken(token).get(api);
            assertThat(answer.status()).as(api).isEqualTo(401);
            assertThat(answer.problemDetail()).contains("board token").contains("never the API");
        }
    }

    @Test
    void aScreenWhoseTokenWasRevokedReloadsToTheBoardsSignIn() {
        String maintainer = person();
        join(maintainer, teamA, "maintainer");
        JsonNode created = newToken(maintainer, "{\"name\": \"lobby\", \"teams\": [\"" + teamA + "\"]}");
        Browser screen = new Browser();
        signInScreen(screen, created.path("token").asString());
        assertThat(screen.get(port, "/board/active", HTMX).status()).isEqualTo(200);

        Answer revoked = new PortalApi(port)
                .as(maintainer, FarmAccounts.PASSWORD)
                .delete("/api/v1/board-tokens/" + created.path("id").asString());
        assertThat(revoked.json().path("state").asString()).isEqualTo("revoked");

        Page refresh = screen.get(port, "/board/active", HTMX);
        assertThat(refresh.status()).as("a panel's refresh").isEqualTo(401);
        assertThat(refresh.header("HX-Refresh")).isEqualTo("true");
        assertThat(refresh.body()).doesNotContain("<form");
        Page reload = screen.get(port, "/board");
        assertThat(reload.status()).as("the reload htmx makes").isEqualTo(302);
        assertThat(reload.location()).endsWith("/board/sign-in?ended");
        assertThat(setCookie(reload, "ARCHFARM_BOARD"))
                .startsWith("ARCHFARM_BOARD=;")
                .contains("Max-Age=0");
        assertThat(screen.get(port, "/board/sign-in?ended").body()).contains("id=\"board-ended\"");
        assertThat(screen.get(port, "/board").sentToSignIn())
                .as("without the cookie: a person's sign-in")
                .isTrue();
    }

    @Test
    void aTokenShowsNoMoreThanItsCreatorStillSees() {
        String maintainer = person();
        join(maintainer, teamA, "maintainer");
        join(maintainer, teamB, "maintainer");
        JsonNode created =
                newToken(maintainer, "{\"name\": \"both\", \"teams\": [\"" + teamA + "\", \"" + teamB + "\"]}");
        Browser screen = new Browser();
        signInScreen(screen, created.path("token").asString());
        assertThat(rows(screen.get(port, "/board/active", HTMX).body()))
                .contains(runningA.toString(), runningB.toString());

        expect(farm.admin().delete("/api/v1/teams/" + teamB + "/members/" + maintainer), 204);
        assertThat(rows(screen.get(port, "/board/active", HTMX).body()))
                .containsExactly(runningA.toString(), queuedA.toString());

        expect(farm.admin().delete("/api/v1/teams/" + teamA + "/members/" + maintainer), 204);
        assertThat(screen.get(port, "/board/active", HTMX).status()).isEqualTo(401);
        assertThat(screen.get(port, "/board").location()).endsWith("/board/sign-in?ended");
    }

    @Test
    void adminsMakeTokensForAnyTeamsMaintainersForTheirOwn() {
        String viewer = person();
        join(viewer, teamA, "viewer");
        String maintainer = person();
        join(maintainer, teamA, "maintainer");
        PortalApi asViewer = new PortalApi(port).as(viewer, FarmAccounts.PASSWORD);
        PortalApi asMaintainer = new PortalApi(port).as(maintainer, FarmAccounts.PASSWORD);
        String ofA = "{\"name\": \"wall\", \"teams\": [\"" + teamA + "\"]}";

        assertThat(asViewer.post("/api/v1/board-tokens", ofA).status()).isEqualTo(403);
        assertThat(asMaintainer
                        .post("/api/v1/board-tokens", "{\"name\": \"wall\", \"teams\": [\"" + teamB + "\"]}")
                        .status())
                .as("a team the maintainer is not in does not exist for them")
                .isEqualTo(404);
        assertThat(asMaintainer
                        .post("/api/v1/board-tokens", "{\"name\": \"wall\", \"allTeams\": true}")
                        .status())
                .isEqualTo(403);
        assertThat(asMaintainer
                        .post("/api/v1/board-tokens", "{\"name\": \"wall\", \"teams\": []}")
                        .problemDetail())
                .contains("teams is required");
        assertThat(asMaintainer
                        .post("/api/v1/board-tokens", "{\"teams\": [\"" + teamA + "\"]}")
                        .problemDetail())
                .contains("name is required");

        Answer everyTeam = expect(
                farm.admin().post("/api/v1/board-tokens", "{\"name\": \"operations\", \"allTeams\": true}"), 201);
        Browser screen = new Browser();
        signInScreen(screen, everyTeam.json().path("token").asString());
        assertThat(rows(screen.get(port, "/board/active", HTMX).body()))
                .contains(runningA.toString(), runningB.toString(), outsideAnyTeam.toString());

        // a token of A and B by the admin: A's maintainer manages it, without learning B's name
        JsonNode both = expect(
                        farm.admin()
                                .post(
                                        "/api/v1/board-tokens",
                                        "{\"name\": \"hall\", \"teams\": [\"" + teamA + "\", \"" + teamB + "\"]}"),
                        201)
                .json();
        JsonNode listed = asMaintainer
                .get("/api/v1/board-tokens")
                .json()
                .valueStream()
                .filter(t -> t.path("id").asString().equals(both.path("id").asString()))
                .findFirst()
                .orElseThrow();
        assertThat(listed.path("teams").valueStream().map(JsonNode::asString)).containsExactly(teamA);
        assertThat(listed.path("otherTeams").asInt()).isEqualTo(1);
        assertThat(listed.toString()).doesNotContain(teamB).doesNotContain("afb_");
        assertThat(asViewer.delete("/api/v1/board-tokens/" + both.path("id").asString())
                        .status())
                .isEqualTo(404);
        assertThat(asMaintainer
                        .delete("/api/v1/board-tokens/" + both.path("id").asString())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theBoardTokensPageMakesATokenAndShowsItOnce() {
        String maintainer = person();
        join(maintainer, teamA, "maintainer");
        Browser person = new Browser().signIn(port, maintainer, FarmAccounts.PASSWORD);
        Page page = person.get(port, "/board-tokens");
        assertThat(page.body())
                .contains("id=\"board-token-team-" + teamA + "\"")
                .doesNotContain("board-token-team-" + teamB)
                .doesNotContain("id=\"board-token-all\"");

        Page created =
                person.postForm(port, "/board-tokens", Map.of("name", "kitchen", "teams", teamA, "_csrf", page.csrf()));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("Cache-Control")).contains("no-store");
        Matcher token = Pattern.compile("id=\"new-board-token-value\">(afb_[A-Za-z0-9_-]{43})<")
                .matcher(created.body());
        assertThat(token.find()).as("the new token on the page").isTrue();
        assertThat(created.body())
                .contains("/board/sign-in#token=" + token.group(1))
                .contains("data-board-token=");
        assertThat(person.get(port, "/board-tokens").body()).as("shown once").doesNotContain(token.group(1));
        Browser screen = new Browser();
        assertThat(signInScreen(screen, token.group(1)).location()).endsWith("/board");
    }

    @Test
    void theBoardsSignInSaysWhyATokenIsRefused() {
        Browser screen = new Browser();
        String personal = farm.admin()
                .post("/api/v1/tokens", "{\"name\": \"not-a-board\"}")
                .json()
                .path("token")
                .asString();

        Page wrongKind = signInScreen(screen, personal);
        Page unknown = signInScreen(screen, "afb_" + "x".repeat(43));

        assertThat(wrongKind.status()).isEqualTo(400);
        assertThat(wrongKind.body()).contains("id=\"board-refused\"").contains("personal API token");
        assertThat(unknown.body()).contains("the board token is not valid");
        assertThat(screen.cookie("ARCHFARM_BOARD")).isNull();
    }

    // ---------------------------------------------------------------- signed out

    @Test
    void aPagesScriptMeetingAnEndedSessionGets401AndAReloadNotTheSignInForm() {
        String member = person();
        join(member, teamA, "viewer");
        Browser browser = new Browser().signIn(port, member, FarmAccounts.PASSWORD);
        assertThat(browser.get(port, "/dashboard/active?of=" + teamA, HTMX).status())
                .isEqualTo(200);
        jdbc.sql("delete from spring_session where session_id = :id")
                .param("id", new String(Base64.getDecoder().decode(browser.cookie("SESSION")), StandardCharsets.UTF_8))
                .update();

        for (String panel : List.of(
                "/dashboard/active?of=" + teamA,
                "/dashboard/queue?of=" + teamA,
                "/workers/table",
                "/builds/" + runningA + "/panel",
                "/board/active",
                "/board/fleet")) {
            Page refresh = browser.get(port, panel, HTMX);
            assertThat(refresh.status()).as(panel).isEqualTo(401);
            assertThat(refresh.header("HX-Refresh")).as(panel).isEqualTo("true");
            assertThat(refresh.body()).as(panel).doesNotContain("<form").doesNotContain("password");
        }
        Page stream = browser.get(port, "/builds/" + runningA + "/live", Map.of("Accept", "text/event-stream"));
        assertThat(stream.status()).as("the build page's event stream").isEqualTo(401);
        assertThat(browser.get(port, "/dashboard/active?of=" + teamA).sentToSignIn())
                .as("a navigation still goes to the sign-in page")
                .isTrue();
        assertThat(browser.get(port, "/board").sentToSignIn()).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private String person() {
        String username = FarmAccounts.unique("board");
        expect(
                farm.admin()
                        .post(
                                "/api/v1/users",
                                "{\"username\":\"%s\",\"password\":\"%s\",\"displayName\":\"%s\"}"
                                        .formatted(username, FarmAccounts.PASSWORD, username)),
                201);
        return username;
    }

    private void join(String username, String team, String role) {
        expect(farm.admin().put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"" + role + "\"}"), 201);
    }

    private JsonNode newToken(String username, String json) {
        return expect(new PortalApi(port).as(username, FarmAccounts.PASSWORD).post("/api/v1/board-tokens", json), 201)
                .json();
    }

    /** The board's sign-in form, as a wall screen submits it (CSRF token included). */
    private Page signInScreen(Browser screen, String token) {
        Page form = screen.get(port, "/board/sign-in");
        return screen.postForm(port, "/board/sign-in", Map.of("token", token, "_csrf", form.csrf()));
    }

    private static String setCookie(Page answer, String name) {
        return answer.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream())
                .filter(value -> value.startsWith(name + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + answer.headers()));
    }

    private static List<String> withPanels(String page) {
        return Stream.concat(Stream.of(page), BOARD_PANELS.stream()).toList();
    }

    /** The board's teams' count of a platform and queue in the queue table. */
    private static long queueCount(String html, String platform, String mode) {
        Matcher m = Pattern.compile(
                        "<tr data-platform=\"" + Pattern.quote(platform) + "\" data-mode=\"" + mode
                                + "\">.*?class=\"num team\">(\\d+)</td>",
                        Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as(platform + " " + mode + " in the queue").isTrue();
        return Long.parseLong(m.group(1));
    }
}
