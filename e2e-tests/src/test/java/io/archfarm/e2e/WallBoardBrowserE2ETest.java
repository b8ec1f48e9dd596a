package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/**
 * The wall board, the portal's narrow layout and dark theme, and what a page does once its session ends, in a real
 * headless Chromium on a real farm: a wall screen signed in with a board token shows a running build with a chip per
 * platform, dark, on a wide and on a phone-sized screen, and goes to its sign-in page when the token is revoked; every
 * page fits 390 px with a team name too long for any header; a page whose session ends reloads to the sign-in page.
 */
class WallBoardBrowserE2ETest extends BrowserTest {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final String WORKER = "wall-1";
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
    private static final String LONG_NAME =
            "The platform and release engineering team of every multi-architecture" + " image the organisation ships";
    /** An iPhone 12 to 15 in portrait, in CSS pixels. */
    private static final int PHONE_WIDTH = 390;

    private static final int PHONE_HEIGHT = 844;
    /** archfarm-dark.css's --bg, as the browser computes it. */
    private static final String DARK = "rgba(13, 17, 23, 1)";

    private static final String LIGHT = "rgba(255, 255, 255, 1)";
    private static final By ACTIVE = By.id("board-active");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        Chromium.require();
        farm = Farm.start("wall-board", List.of(new Farm.WorkerSpec(WORKER, "linux/amd64", "linux/arm64", 2)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Override
    protected String portalUrl() {
        return farm.portal().baseUrl();
    }

    @Test
    void aWallScreenShowsARunningBuildWithItsChipsDarkOnAWideAndANarrowScreen() {
        Team team = team(LONG_NAME, 30);
        String build = team.startBuild();
        String waiting = team.startBuild(); // the worker's two slots are the first build's: this one waits
        JsonNode token = farm.portal()
                .created("/api/v1/board-tokens", Map.of("name", "e2e wall", "teams", List.of(team.slug())));

        // what an operator opens on the screen: the token rides in the fragment, archfarm.js signs the screen in
        browser.visit(token.path("signInUrl").asString().substring(portalUrl().length()));
        eventually(
                "the board",
                PAGE_TIMEOUT,
                () -> assertThat(browser.currentPath()).isEqualTo("/board"));
        eventually("the build RUNNING with a chip per platform", BUILD_TIMEOUT, () -> {
            assertThat(buildStatus(build)).isEqualTo("RUNNING");
            assertThat(chips(build)).containsOnlyKeys(PLATFORMS).containsValue("RUNNING");
            assertThat(buildStatus(waiting)).isEqualTo("QUEUED");
            assertThat(chips(waiting)).containsOnlyKeys(PLATFORMS).containsValues("QUEUED");
            assertThat(browser.findAll(By.cssSelector("#board-queue tr[data-platform]")))
                    .isNotEmpty();
        });
        assertThat(browser.style(By.tagName("body"), "background-color"))
                .as("dark by default")
                .isEqualTo(DARK);
        assertThat(browser.isPresent(SIGNED_IN_AS))
                .as("a header for a wall screen")
                .isFalse();
        assertThat(browser.findAll(By.cssSelector("main a, main form, main button")))
                .as("links and actions")
                .isEmpty();
        assertThat(browser.text(By.id("board-scope"))).contains(LONG_NAME);
        assertThat(browser.horizontalOverflow()).isEmpty();
        browser.snapshot("board");

        browser.narrowScreen(PHONE_WIDTH, PHONE_HEIGHT);
        browser.visit("/board");
        eventually(
                "the chips on the narrow board",
                PAGE_TIMEOUT,
                () -> assertThat(chips(build)).containsOnlyKeys(PLATFORMS));
        assertThat(browser.horizontalOverflow())
                .as("the board at %d px", PHONE_WIDTH)
                .isEmpty();
        browser.snapshot("board-narrow");
        browser.wideScreen();

        PortalClient.Answer revoked =
                farm.portal().delete("/api/v1/board-tokens/" + token.path("id").asString());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        String mark = browser.markPage();
        eventually("the board's sign-in page, after a reload", PAGE_TIMEOUT, () -> {
            assertThat(browser.currentPath()).startsWith("/board/sign-in");
            assertThat(browser.isPresent(By.id("board-ended"))).isTrue();
        });
        assertThat(browser.hasMark(mark))
                .as("a reload, not a form swapped into a panel")
                .isFalse();
        browser.snapshot("board-token-revoked");
    }

    @Test
    void everyPageFitsAPhoneAndTheHeaderAVeryLongTeamName() {
        Team team = team(LONG_NAME, 1);
        String build = team.startBuild();
        String member = person();
        farm.portal().put("/api/v1/teams/" + team.slug() + "/members/" + member, Map.of("role", "maintainer"));
        List<String> pages = List.of(
                "/",
                "/builds",
                "/builds/" + build,
                "/builds/new",
                "/projects",
                "/projects/" + team.slug() + "/" + team.project(),
                "/workers",
                "/board",
                "/board-tokens");

        browser.signIn(member, password(member));
        By single = By.cssSelector("header.top .team-single");
        assertThat(browser.find(single).getDomAttribute("title")).isEqualTo(LONG_NAME);
        assertThat(browser.script(
                        "const e = arguments[0]; return e.scrollWidth > e.clientWidth;", browser.find(single)))
                .as("the team name ends in an ellipsis")
                .isEqualTo(true);
        assertThat(browser.horizontalOverflow()).isEmpty();
        browser.narrowScreen(PHONE_WIDTH, PHONE_HEIGHT);
        for (String page : pages) {
            browser.visit(page);
            assertThat(browser.horizontalOverflow())
                    .as("%s at %d px, as a maintainer", page, PHONE_WIDTH)
                    .isEmpty();
        }
        browser.click(SIGN_OUT);
        eventually(
                "signed out",
                PAGE_TIMEOUT,
                () -> assertThat(browser.currentPath()).startsWith("/login"));

        // the admin is in every team: the team switcher, whose options include the long name
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);
        browser.visit("/?team=" + team.slug());
        assertThat(browser.find(TEAM_SWITCH).getDomAttribute("title")).isEqualTo(LONG_NAME);
        for (String page : pages) {
            browser.visit(page);
            assertThat(browser.horizontalOverflow())
                    .as("%s at %d px, as the admin", page, PHONE_WIDTH)
                    .isEmpty();
            assertThat(browser.find(TEAM_SWITCH).isDisplayed())
                    .as("the team switcher on %s", page)
                    .isTrue();
        }
        browser.wideScreen();

        browser.prefersDark(true);
        browser.visit("/");
        assertThat(browser.style(By.tagName("body"), "background-color"))
                .as("a system that prefers dark")
                .isEqualTo(DARK);
        browser.prefersDark(false);
        browser.visit("/");
        assertThat(browser.style(By.tagName("body"), "background-color")).isEqualTo(LIGHT);
    }

    @Test
    void aPageWhoseSessionEndsReloadsToTheSignInPage() {
        Team team = team("Session ends", 20);
        String build = team.startBuild();
        String member = person();
        farm.portal().put("/api/v1/teams/" + team.slug() + "/members/" + member, Map.of("role", "viewer"));

        // a build page refreshes its panel when the build changes: its next change meets the ended session
        browser.signIn(member, password(member));
        browser.visit("/builds/" + build);
        BuildPage page = new BuildPage(browser);
        eventually(
                "the build RUNNING",
                BUILD_TIMEOUT,
                () -> assertThat(page.status()).isEqualTo("RUNNING"));
        signOutInAnotherTabAndAwaitTheSignInPage("/builds/" + build, BUILD_TIMEOUT);

        // pages whose panels refresh on a timer
        for (String path : List.of("/?team=" + team.slug(), "/board", "/workers")) {
            browser.signIn(member, password(member));
            browser.visit(path);
            signOutInAnotherTabAndAwaitTheSignInPage(path, PAGE_TIMEOUT);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void signOutInAnotherTabAndAwaitTheSignInPage(String page, Duration within) {
        String mark = browser.markPage();
        browser.inOtherTab("/builds", () -> {
            browser.click(SIGN_OUT);
            eventually(
                    "signed out in the other tab",
                    PAGE_TIMEOUT,
                    () -> assertThat(browser.currentPath()).startsWith("/login"));
        });
        eventually(page + " reloaded to the sign-in page", within, () -> {
            assertThat(browser.currentPath()).as(page).startsWith("/login");
            assertThat(browser.isPresent(By.id("sign-in"))).isTrue();
        });
        assertThat(browser.hasMark(mark))
                .as("%s reloaded, not a sign-in form swapped into a panel", page)
                .isFalse();
        browser.snapshot("signed-out-" + Browser.pageName(page));
    }

    private String buildStatus(String build) {
        return browser.find(ACTIVE)
                .findElement(By.cssSelector("tr[data-build='" + build + "']"))
                .getDomAttribute("data-status");
    }

    /** The platform chips of a build's row on the board: platform to status. */
    private Map<String, String> chips(String build) {
        return browser
                .find(ACTIVE)
                .findElements(By.cssSelector("tr[data-build='" + build + "'] .chip[data-platform]"))
                .stream()
                .collect(Collectors.toMap(
                        chip -> chip.getDomAttribute("data-platform"), chip -> chip.getDomAttribute("data-status")));
    }

    /** A team of its own with one project, whose builds run a step no layer cache has that sleeps {@code seconds}. */
    private static Team team(String name, int seconds) {
        int n = NAMES.incrementAndGet();
        String slug = "wall-" + n;
        farm.portal().created("/api/v1/teams", Map.of("slug", slug, "name", name));
        String project = "slow-" + n;
        E2eProjects projects = new E2eProjects(farm, slug);
        projects.create(
                project,
                Map.of(
                        "Containerfile",
                        farm.fromBaseImage() + "RUN echo " + UUID.randomUUID() + " > /run-id && sleep " + seconds
                                + "\n"),
                PLATFORMS,
                farm.registry() + "/e2e/" + project);
        return new Team(slug, project, projects);
    }

    private static String person() {
        String username = "wall-person-" + NAMES.incrementAndGet();
        farm.portal()
                .created(
                        "/api/v1/users",
                        Map.of("username", username, "password", password(username), "displayName", username));
        return username;
    }

    private static String password(String username) {
        return username + "-password";
    }

    record Team(String slug, String project, E2eProjects projects) {

        String startBuild() {
            return projects.startBuild(project);
        }
    }
}
