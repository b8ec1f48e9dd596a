package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The portal in a real headless Chromium, on a real farm: a person submits, watches, cancels and retries builds and
 * only ever sees their own team's projects. One worker builds linux/amd64 natively and emulates linux/arm64 and
 * linux/s390x, with a slot for each, so a three-platform build runs at once.
 */
class PortalBrowserE2ETest extends BrowserTest {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final String WORKER = "browser-1";
    private static final Map<String, String> UNAME =
            Map.of("linux/amd64", "x86_64", "linux/arm64", "aarch64", "linux/s390x", "s390x");
    private static final List<String> ALL_PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final By PROBLEM_TITLE = By.id("problem-title");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        Chromium.require();
        farm = Farm.start("browser", List.of(new Farm.WorkerSpec(WORKER, "linux/amd64", "linux/arm64,linux/s390x", 3)));
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
    void aThreePlatformBuildSubmittedThroughTheFormGoesLiveToSucceededWithItsManifestList() {
        // a first step no layer cache can have, which runs for a few seconds: the page must see RUNNING however
        // warm the workers' caches are from the class's other builds (a RUN uname -m of theirs is cached otherwise)
        Project project = project(
                "uname",
                farm.fromBaseImage() + "RUN echo " + UUID.randomUUID() + " > /run-id && sleep 3\nRUN uname -m\n",
                List.of("linux/amd64"));
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/builds/new");
        new Select(browser.find(By.id("project"))).selectByValue(optionFor(By.id("project"), project.path()));
        browser.type(By.id("ref"), "main");
        checkPlatforms(ALL_PLATFORMS);
        browser.click(By.id("submit-build"));

        BuildPage page = landOnBuildPage();
        String mark = browser.markPage();
        eventually(
                "a platform RUNNING",
                BUILD_TIMEOUT,
                () -> assertThat(page.platformStatuses()).containsValue("RUNNING"));
        browser.inOtherTab(
                "/workers",
                () -> eventually("the worker busy", PAGE_TIMEOUT, () -> {
                    assertThat(browser.text(workerRow())).contains(WORKER);
                    browser.snapshot("workers-busy");
                }));
        eventually("every platform and the build SUCCEEDED", BUILD_TIMEOUT, () -> {
            assertThat(page.platformStatuses())
                    .containsOnlyKeys(ALL_PLATFORMS)
                    .allSatisfy((platform, status) ->
                            assertThat(status).as(platform).isEqualTo("SUCCEEDED"));
            assertThat(page.status()).isEqualTo("SUCCEEDED");
        });
        eventually(
                "each log shows the platform's uname -m",
                PAGE_TIMEOUT,
                () -> UNAME.forEach((platform, machine) -> assertThat(page.logText(platform))
                        .as("log of %s", platform)
                        .containsPattern("(?m)^" + machine + "$")));
        eventually("the manifest list", PAGE_TIMEOUT, () -> {
            assertThat(page.indexDigest()).matches("sha256:[0-9a-f]{64}");
            assertThat(page.pullLines())
                    .contains(
                            "podman pull " + project.image() + ":latest", "docker pull " + project.image() + ":latest");
            assertThat(page.manifestJson()).contains("\"s390x\"", "\"arm64\"", "\"amd64\"");
        });
        // the live page may swap a row out while it is read: read again until it holds still
        eventually("each row's mode and worker", PAGE_TIMEOUT, () -> {
            assertThat(page.rowText("linux/amd64")).contains("NATIVE", WORKER);
            assertThat(page.rowText("linux/arm64")).contains("EMULATED", WORKER);
        });
        assertThat(browser.hasMark(mark))
                .as("the page updated itself, without a reload")
                .isTrue();
        browser.snapshot("build-succeeded");

        JsonNode build = farm.portal().build(page.id());
        assertThat(build.path("platforms")
                        .valueStream()
                        .map(job -> job.path("platform").asString()))
                .containsExactlyInAnyOrderElementsOf(ALL_PLATFORMS);
        assertThat(page.indexDigest())
                .isEqualTo(build.path("manifestList").path("digest").asString());

        browser.visit("/?team=" + project.team());
        for (String panel : List.of(
                "active-builds", "recent-builds", "success-rate", "durations", "queue-depth", "workers-online")) {
            assertThat(browser.isPresent(By.id(panel)))
                    .as("dashboard panel #%s", panel)
                    .isTrue();
        }
        assertThat(browser.text(By.id("recent-builds"))).contains(project.slug());
    }

    @Test
    void theNewBuildFormShowsEachRefusalNextToItsField() {
        int n = NAMES.incrementAndGet();
        String repository = farm.git().createRepository("refused-" + n, Map.of("Containerfile", farm.fromBaseImage()));
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/builds/new");
        new Select(browser.find(By.id("project"))).selectByValue("");
        browser.type(By.id("repository"), repository);
        browser.type(By.id("ref"), "main");
        browser.type(By.id("image"), "Not A Valid Image");
        browser.type(By.id("tags"), "-bad tag");
        checkPlatforms(List.of());
        browser.submit(By.id("submit-build"));

        assertThat(browser.responseStatus()).isEqualTo(400);
        for (String field : List.of("image", "platforms", "tags")) {
            assertThat(browser.text(By.cssSelector(".field-error[data-field='" + field + "']")))
                    .as("the message next to %s", field)
                    .isNotBlank();
        }
        assertThat(browser.isPresent(By.cssSelector(".field-error[data-field='repository']")))
                .isFalse();
        assertThat(browser.find(By.id("image")).getDomProperty("value")).isEqualTo("Not A Valid Image");
        assertThat(farm.database().query("select id from builds where repository = ?", repository))
                .isEmpty();
    }

    @Test
    void aRunningBuildIsCancelledFromItsPage() {
        Project project = project("sleeper", farm.fromBaseImage() + "RUN sleep 120\n", List.of("linux/amd64"));
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/projects/" + project.path());
        browser.type(By.id("build-ref"), "main");
        browser.click(By.id("build-now-submit"));
        BuildPage page = landOnBuildPage();
        eventually("the sleep is running", BUILD_TIMEOUT, () -> {
            assertThat(page.platformStatus("linux/amd64")).isEqualTo("RUNNING");
            assertThat(page.logText("linux/amd64")).contains("sleep 120");
        });
        browser.snapshot("running");

        browser.submit(BuildPage.CANCEL);
        assertThat(page.id()).as("back on the build's page").isNotBlank();
        String mark = browser.markPage();

        eventually("the build CANCELLED", Duration.ofMinutes(1), () -> {
            assertThat(page.status()).isEqualTo("CANCELLED");
            assertThat(page.platformStatus("linux/amd64")).isEqualTo("CANCELLED");
        });
        assertThat(browser.hasMark(mark))
                .as("the page updated itself, without a reload")
                .isTrue();
        browser.snapshot("cancelled");
        assertThat(farm.portal().build(page.id()).path("status").asString()).isEqualTo("CANCELLED");
    }

    /**
     * The build's base image is a tag this test moves: first to an index without linux/s390x, so that platform
     * fails (there is no base image for it) while the two others succeed; then to the full multi-arch index, and a
     * retry rebuilds linux/s390x alone and merges it with the two digests kept from the first attempt.
     */
    @Test
    void retryingTheFailedPlatformRebuildsOnlyItAndPublishesTheManifestList() {
        String baseTag = "retry-" + NAMES.incrementAndGet();
        RegistryClient registry = farm.registryClient();
        RegistryClient.Manifest fullBase = registry.manifest(Farm.BASE_IMAGE, "latest");
        registry.putManifest(Farm.BASE_IMAGE, baseTag, fullBase.mediaType(), without(fullBase, "s390x"));
        Project project = project(
                "retried",
                "FROM " + farm.registry() + "/" + Farm.BASE_IMAGE + ":" + baseTag + "\nRUN uname -m\n",
                ALL_PLATFORMS);
        String id = startBuild(project);
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/builds/" + id);
        BuildPage page = new BuildPage(browser);
        String failingLive = browser.markPage();
        eventually("linux/s390x FAILED, the others SUCCEEDED", BUILD_TIMEOUT, () -> {
            assertThat(page.platformStatuses())
                    .isEqualTo(Map.of("linux/amd64", "SUCCEEDED", "linux/arm64", "SUCCEEDED", "linux/s390x", "FAILED"));
            assertThat(page.status()).isEqualTo("FAILED");
            assertThat(browser.text(BuildPage.FAILED_STEP)).isNotBlank();
        });
        assertThat(page.hasManifestList())
                .as("no manifest list for a failed build")
                .isFalse();
        assertThat(browser.hasMark(failingLive))
                .as("the page updated itself, without a reload")
                .isTrue();
        browser.snapshot("failed");
        Map<String, String> keptDigests = digests(farm.portal().build(id), "linux/amd64", "linux/arm64");

        registry.putManifest(Farm.BASE_IMAGE, baseTag, fullBase.mediaType(), fullBase.bytes());
        browser.submit(BuildPage.RETRY);
        assertThat(page.id()).as("back on the build's page").isEqualTo(id);
        String mark = browser.markPage();

        eventually("the retried build SUCCEEDED with its manifest list", BUILD_TIMEOUT, () -> {
            assertThat(page.platformStatuses())
                    .containsOnlyKeys(ALL_PLATFORMS)
                    .allSatisfy((platform, status) ->
                            assertThat(status).as(platform).isEqualTo("SUCCEEDED"));
            assertThat(page.status()).isEqualTo("SUCCEEDED");
            assertThat(page.indexDigest()).matches("sha256:[0-9a-f]{64}");
        });
        assertThat(browser.hasMark(mark))
                .as("the page updated itself, without a reload")
                .isTrue();
        browser.snapshot("retried");
        JsonNode build = farm.portal().build(id);
        assertThat(digests(build, "linux/amd64", "linux/arm64"))
                .as("the kept digests")
                .isEqualTo(keptDigests);
        assertThat(BuildAwait.platform(build, "linux/s390x").path("attempt").asInt())
                .isEqualTo(2);
        assertThat(BuildAwait.platform(build, "linux/amd64").path("attempt").asInt())
                .isEqualTo(1);
        JsonNode index = registry.manifest(project.repositoryPath(), "latest").json();
        Map<String, String> entries = new LinkedHashMap<>();
        index.path("manifests")
                .forEach(entry -> entries.put(
                        "linux/" + entry.path("platform").path("architecture").asString(),
                        entry.path("digest").asString()));
        assertThat(entries).containsOnlyKeys(ALL_PLATFORMS).containsAllEntriesOf(keptDigests);
        assertThat(page.indexDigest())
                .isEqualTo(build.path("manifestList").path("digest").asString());
        JsonNode shown = Http.JSON.readTree(page.manifestJson());
        assertThat(shown.path("manifests")
                        .valueStream()
                        .map(entry -> entry.path("digest").asString()))
                .as("the manifest list on the page")
                .hasSize(3)
                .containsAll(keptDigests.values());
    }

    @Test
    void aViewerSeesTheirTeamsProjectsAndNotAnotherTeams() {
        int n = NAMES.incrementAndGet();
        Project own = project("own", farm.fromBaseImage() + "RUN true\n", List.of("linux/amd64"));
        Project other = project("other", farm.fromBaseImage() + "RUN true\n", List.of("linux/amd64"));
        String otherBuild = startBuild(other);
        String viewer = "viewer" + n;
        String password = "viewer-password-" + n;
        farm.portal()
                .created(
                        "/api/v1/users",
                        Map.of("username", viewer, "password", password, "displayName", "Viewer " + n));
        PortalClient.Answer member =
                farm.portal().put("/api/v1/teams/" + own.team() + "/members/" + viewer, Map.of("role", "viewer"));
        assertThat(member.status()).as(member.body()).isEqualTo(201);

        browser.signIn(viewer, password);
        browser.visit("/projects");
        assertThat(browser.isPresent(projectLink(own)))
                .as("a link to %s", own.path())
                .isTrue();
        assertThat(browser.isPresent(projectLink(other)))
                .as("a link to %s", other.path())
                .isFalse();
        assertThat(browser.text(By.id("projects"))).doesNotContain(other.slug());

        browser.click(projectLink(own));
        eventually(
                "the own project's page",
                PAGE_TIMEOUT,
                () -> assertThat(browser.currentPath()).isEqualTo("/projects/" + own.path()));
        browser.snapshot("own-project");
        assertThat(browser.isPresent(By.id("reveal-secret")))
                .as("a secret reveal for a viewer")
                .isFalse();

        browser.visit("/projects/" + other.path());
        assertThat(browser.responseStatus()).as("the other team's project page").isEqualTo(404);
        assertThat(browser.text(PROBLEM_TITLE)).startsWith("404");
        assertThat(browser.text(By.tagName("main"))).doesNotContain(other.repository());

        browser.visit("/builds/" + otherBuild);
        assertThat(browser.responseStatus()).as("the other team's build page").isEqualTo(404);
        assertThat(browser.text(PROBLEM_TITLE)).startsWith("404");
        assertThat(browser.text(By.tagName("main"))).doesNotContain(other.repository());

        browser.visit("/workers");
        assertThat(browser.isPresent(By.cssSelector("button.drain")))
                .as("drain buttons for a viewer")
                .isFalse();
    }

    @Test
    void aLogLineWithAScriptTagAndColourCodesShowsAsReadableText() {
        // printf builds the colour codes from its format, so the step line buildah echoes holds none of them
        Project project = project(
                "escaping",
                farm.fromBaseImage()
                        + "RUN echo '<script>window.pwned=1</script>' && printf '\\033[3%dmred\\033[%dm\\n' 1 0\n",
                List.of("linux/amd64"));
        String id = startBuild(project);
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/builds/" + id);
        BuildPage page = new BuildPage(browser);
        eventually("the build SUCCEEDED with its log", BUILD_TIMEOUT, () -> {
            assertThat(page.status()).isEqualTo("SUCCEEDED");
            assertThat(page.logText("linux/amd64")).contains("red");
        });
        browser.snapshot("log");

        String log = page.logText("linux/amd64");
        assertThat(log).as("the script tag, as text").containsPattern("(?m)^<script>window.pwned=1</script>$");
        assertThat(browser.script("return typeof window.pwned;")).isEqualTo("undefined");
        assertThat(browser.findAll(By.cssSelector("pre[data-log-platform] script")))
                .isEmpty();
        assertThat(log)
                .as("the colour codes")
                .doesNotContain("\u001b", "[31m", "[0m")
                .containsPattern("(?m)^red$");
        assertThat(browser.findAll(BuildPage.RAW_LOGS))
                .isNotEmpty()
                .allSatisfy(link -> assertThat(link.getDomAttribute("href")).isNotBlank());
    }

    @Test
    void theFleetPageListsTheWorkerAndAnAdminDrainsAndResumesIt() {
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);

        browser.visit("/workers");

        eventually(
                "the worker ONLINE",
                PAGE_TIMEOUT,
                () -> assertThat(workerState()).isEqualTo("ONLINE"));
        assertThat(browser.text(workerRow())).contains("linux/amd64", "linux/arm64", "linux/s390x");
        try {
            browser.submit(By.cssSelector("table#workers tr[data-worker='" + WORKER + "'] button.drain"));
            eventually(
                    "the worker DRAINING",
                    PAGE_TIMEOUT,
                    () -> assertThat(workerState()).isEqualTo("DRAINING"));
            browser.snapshot("draining");

            browser.submit(By.cssSelector("table#workers tr[data-worker='" + WORKER + "'] button.resume"));
            eventually(
                    "the worker ONLINE again",
                    PAGE_TIMEOUT,
                    () -> assertThat(workerState()).isEqualTo("ONLINE"));
        } finally {
            // the other tests need the worker taking jobs
            farm.portal().post("/api/v1/workers/" + WORKER + "/resume", Map.of());
        }
        assertThat(browser.findAll(By.cssSelector("table#workers button.drain")))
                .as("drain buttons")
                .hasSize(1);
    }

    @Test
    void signingOutEndsTheSession() {
        browser.signIn(Farm.ADMIN, Farm.ADMIN_PASSWORD);
        assertThat(browser.text(SIGNED_IN_AS)).contains(Farm.ADMIN);

        browser.click(SIGN_OUT);

        eventually(
                "the sign-in page",
                PAGE_TIMEOUT,
                () -> assertThat(browser.currentPath()).startsWith("/login"));
        browser.snapshot("signed-out");
        browser.visit("/projects");
        assertThat(browser.currentPath()).as("a page after signing out").startsWith("/login");
        assertThat(browser.isPresent(SIGNED_IN_AS)).isFalse();
    }

    // ---------------------------------------------------------------- helpers

    /** A project of a team of its own, made by the admin through the API, on a repository of the farm's git. */
    private static Project project(String name, String containerfile, List<String> platforms) {
        int n = NAMES.incrementAndGet();
        String team = "team-" + name + "-" + n;
        String slug = name + "-" + n;
        String repository = farm.git().createRepository(slug, Map.of("Containerfile", containerfile));
        String title = Character.toUpperCase(name.charAt(0)) + name.substring(1) + " " + n;
        farm.portal().created("/api/v1/teams", Map.of("slug", team, "name", title));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slug", slug);
        body.put("repository", repository);
        body.put("defaultBranch", "main");
        body.put("platforms", platforms);
        body.put("image", farm.registry() + "/e2e/" + slug);
        body.put("tagTemplates", List.of("latest"));
        farm.portal().created("/api/v1/teams/" + team + "/projects", body);
        return new Project(team, slug, repository, farm.registry() + "/e2e/" + slug);
    }

    /** Starts a build of the project's default branch through the API, as the admin. */
    private static String startBuild(Project project) {
        PortalClient.Answer answer =
                farm.portal().post("/api/v1/projects/" + project.path() + "/builds", Map.of("ref", "main"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return answer.json().path("id").asString();
    }

    record Project(String team, String slug, String repository, String image) {
        String path() {
            return team + "/" + slug;
        }

        String repositoryPath() {
            return "e2e/" + slug;
        }
    }

    private static By workerRow() {
        return By.cssSelector("table#workers tr[data-worker='" + WORKER + "']");
    }

    private String workerState() {
        return browser.find(workerRow())
                .findElement(By.cssSelector("td.state"))
                .getText()
                .strip();
    }

    private static By projectLink(Project project) {
        return By.cssSelector("table#projects a[data-project='" + project.path() + "']");
    }

    /** The value of the select's option that names the project (by value or by its text). */
    private String optionFor(By select, String projectPath) {
        List<String> seen = new ArrayList<>();
        for (WebElement option : new Select(browser.find(select)).getOptions()) {
            String value = option.getDomAttribute("value");
            seen.add(value + "=" + option.getText());
            if (projectPath.equals(value) || option.getText().contains(projectPath)) {
                return value;
            }
        }
        throw new AssertionError("no option for " + projectPath + " in " + select + ": " + seen);
    }

    /** Ticks exactly the given platforms' checkboxes. */
    private void checkPlatforms(List<String> platforms) {
        for (String platform : ALL_PLATFORMS) {
            WebElement box = browser.find(By.id("platform-" + platform.replace('/', '-')));
            if (box.isSelected() != platforms.contains(platform)) {
                box.click();
            }
        }
    }

    private BuildPage landOnBuildPage() {
        eventually(
                "a build page",
                PAGE_TIMEOUT,
                () -> assertThat(browser.currentPath()).matches(BuildPage.PATH));
        browser.snapshot("build-" + new BuildPage(browser).id().substring(0, 8));
        return new BuildPage(browser);
    }

    private static Map<String, String> digests(JsonNode build, String... platforms) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String platform : platforms) {
            digests.put(
                    platform,
                    BuildAwait.platform(build, platform).path("digest").asString());
        }
        assertThat(digests.values()).allSatisfy(digest -> assertThat(digest).startsWith("sha256:"));
        return digests;
    }

    /** The index's bytes without the entries for one architecture. */
    private static byte[] without(RegistryClient.Manifest index, String architecture) {
        ObjectNode json = (ObjectNode) index.json();
        ArrayNode kept = json.putArray("manifests");
        index.json().path("manifests").forEach(entry -> {
            if (!entry.path("platform").path("architecture").asString().equals(architecture)) {
                kept.add(entry);
            }
        });
        return Http.JSON.writeValueAsBytes(json);
    }
}
