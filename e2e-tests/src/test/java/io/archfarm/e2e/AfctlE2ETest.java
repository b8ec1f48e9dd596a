package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real afctl (the wrapper script with its jar, as {@code ./archfarm install-afctl} installs it) run as a process
 * against a real farm: a developer logs in with a token of their own, builds a repository for linux/amd64 (native)
 * and linux/arm64 (emulated) with {@code --follow}, and reads the build back with inspect, logs and builds, as
 * people and JSON for scripts; bad flags and failed and cancelled builds end with their exit codes.
 */
class AfctlE2ETest {

    private static final String TEAM = "cli";
    private static final String USER = "ci";
    private static final String PASSWORD = "ci-password-for-afctl";
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
    private static final Pattern BUILD_ID = Pattern.compile("Build ([0-9a-f-]{36}) accepted");
    /** The terminal of the live-progress test: wide enough for the manifest list's full digests. */
    private static final int COLUMNS = 120;

    private static final int LINES = 16;

    @TempDir
    static Path home;

    private static Farm farm;
    private static AfctlProcess afctl;
    private static String token;
    private static AfctlProcess.Result login;
    private static AfctlProcess.Result followed;
    private static String buildId;
    private static String image;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void buildThroughAfctl() {
        farm = Farm.start(
                "afctl",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64", 1)));
        token = farm.portal().developerOfNewTeam(TEAM, USER, PASSWORD);
        afctl = new AfctlProcess(home);

        login = afctl.runWithInput(
                token + "\n",
                Duration.ofMinutes(1),
                "login",
                "--token-stdin",
                farm.portal().baseUrl());

        String repository = farm.git()
                .createRepository(
                        "app",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage() + "RUN uname -m | tee /arch\nCOPY hello /hello\n",
                                "hello",
                                "hello from afctl\n"));
        image = farm.registry() + "/" + TEAM + "/app";
        followed = afctl.run(
                "build",
                "--platform",
                String.join(",", PLATFORMS),
                "--tag",
                image + ":1.0",
                "--tag",
                image + ":latest",
                "--team",
                TEAM,
                "--follow",
                repository,
                "main");
        System.out.println("[archfarm e2e] afctl build --follow printed:\n" + followed.printed());
        Matcher id = BUILD_ID.matcher(followed.out());
        buildId = id.find() ? id.group(1) : null;
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void loginChecksTheTokenAndKeepsItInAFileOnlyItsOwnerReads() throws Exception {
        assertThat(login.exitCode()).as(login.printed()).isZero();
        assertThat(login.out()).contains("Logged in to " + farm.portal().baseUrl() + " as ci (teams: cli developer)");
        assertThat(login.out() + login.err()).doesNotContain(token);
        Path config = home.resolve(".config/afctl/config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(config)).contains("token = " + token);

        Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
        AfctlProcess.Result refused = new AfctlProcess(elsewhere)
                .runWithInput(
                        "not-a-token\n",
                        Duration.ofMinutes(1),
                        "login",
                        "--token-stdin",
                        farm.portal().baseUrl());
        assertThat(refused.exitCode()).as(refused.printed()).isEqualTo(3);
        assertThat(refused.err()).contains("refused the token");
    }

    @Test
    void buildFollowShowsEachPlatformLiveThenTheManifestListAndEndsWithZero() {
        assertThat(followed.exitCode()).as(followed.printed()).isZero();
        assertThat(buildId).as(followed.printed()).isNotNull();
        String out = followed.out();
        assertThat(out)
                .as(out)
                .containsPattern("\\] linux/amd64  RUNNING    NATIVE    native-1")
                .containsPattern("\\] linux/arm64  RUNNING    EMULATED  emulated-1")
                .containsPattern("\\] linux/arm64  (RUNNING|SUCCEEDED)  +EMULATED  emulated-1 +step [23]/3")
                .containsPattern("\\] linux/amd64  SUCCEEDED  NATIVE    native-1")
                .containsPattern("\\] build #?.* SUCCEEDED after \\d+:\\d\\d");
        assertThat(out).doesNotContain("\u001b[").as("not a terminal: plain lines, no redrawing");

        RegistryClient.Manifest published = farm.registryClient().manifest(TEAM + "/app", "1.0");
        assertThat(out)
                .contains("Manifest list " + published.digest())
                .contains("tag         " + image + ":1.0", "tag         " + image + ":latest");
        for (JsonNode entry : published.json().path("manifests")) {
            String platform = entry.path("platform").path("os").asString() + "/"
                    + entry.path("platform").path("architecture").asString();
            assertThat(out)
                    .containsPattern(Pattern.quote(platform) + " +"
                            + Pattern.quote(entry.path("digest").asString()) + " +"
                            + entry.path("size").asLong() + " +"
                            + (platform.equals("linux/amd64") ? "NATIVE +native-1" : "EMULATED +emulated-1"));
        }
    }

    /**
     * In a real terminal (tmux) the progress is one block drawn over itself as the build goes, never a scroll of
     * lines, and ends green; the screens are kept under target/screenshots/afctl (the README's picture is one).
     */
    @Test
    void onATerminalTheProgressIsOneBlockRedrawnInPlace() {
        RequiredTools.require("tmux");
        String repository = farm.git()
                .createRepository(
                        "live",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage() + "RUN uname -m > /arch && sleep 3\nCOPY hello /hello\n",
                                "hello",
                                "hello\n"));
        String command = afctl.executable() + " build --platform " + String.join(",", PLATFORMS) + " --tag " + image
                + ":live --team " + TEAM + " --follow " + repository + "; echo \"[afctl exited $?]\"; sleep 600";
        List<String> screens = new ArrayList<>();
        try (Tmux terminal = new Tmux(
                command,
                COLUMNS,
                LINES,
                Map.of("HOME", home.toString(), "JAVA_HOME", System.getProperty("java.home")))) {
            await("afctl's exit on the terminal")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        String screen = terminal.screen();
                        if (screens.isEmpty() || !screens.getLast().equals(screen)) {
                            screens.add(screen);
                        }
                        return screen.contains("[afctl exited");
                    });
        }
        Path saved = Path.of(System.getProperty("archfarm.e2e.screenshots", "target/screenshots"))
                .resolve("afctl");
        String running = screens.stream()
                .filter(screen -> TerminalCapture.text(screen).contains("RUNNING"))
                .reduce((first, later) -> later)
                .orElseThrow(() -> new AssertionError("no screen showed RUNNING: " + screens));
        TerminalCapture.save(saved, "afctl-build-follow-running", running, COLUMNS, LINES);
        String last = screens.getLast();
        TerminalCapture.save(saved, "afctl-build-follow", last, COLUMNS, LINES);

        String text = TerminalCapture.text(last);
        assertThat(text)
                .as(text)
                .contains("[afctl exited 0]", "Manifest list sha256:")
                .containsPattern("linux/arm64 +SUCCEEDED +EMULATED +emulated-1 +\\d+:\\d\\d +3/3");
        assertThat(text.lines().filter(line -> line.startsWith("build ")))
                .as("one build line on the screen: the block was redrawn, not appended\n%s", text)
                .hasSize(1);
        assertThat(text.lines().filter(line -> line.contains("PLATFORM  ")))
                .as(text)
                .hasSize(2)
                .as("the progress block's header and the manifest list's");
        assertThat(last).contains("\u001b[32mSUCCEEDED");
    }

    @Test
    void inspectShowsTheManifestListOfABuildAndOfAnImage() {
        String digest = farm.registryClient().manifest(TEAM + "/app", "latest").digest();

        AfctlProcess.Result byBuild = afctl.run("inspect", buildId.substring(0, 8));
        assertThat(byBuild.exitCode()).as(byBuild.printed()).isZero();
        assertThat(byBuild.out())
                .contains("Build    " + buildId, "Image    " + image, "Manifest list " + digest)
                .containsPattern("linux/arm64 +sha256:[0-9a-f]{64} +\\d+ +application/vnd\\.oci\\.image\\.manifest\\.v1"
                        + "\\+json +EMULATED +emulated-1");

        AfctlProcess.Result byImage = afctl.run("inspect", image + ":1.0");
        assertThat(byImage.exitCode()).as(byImage.printed()).isZero();
        assertThat(byImage.out()).contains("Build    " + buildId, "Manifest list " + digest);

        AfctlProcess.Result json = afctl.run("inspect", "-o", "json", image + "@" + digest);
        assertThat(json.exitCode()).as(json.printed()).isZero();
        JsonNode build = Http.JSON.readTree(json.out());
        assertThat(build.path("manifestList").path("digest").asString()).isEqualTo(digest);
        assertThat(build.path("platforms")
                        .valueStream()
                        .map(job -> job.path("mode").asString()))
                .containsExactlyInAnyOrder("NATIVE", "EMULATED");

        AfctlProcess.Result unknown = afctl.run("inspect", image + ":never-pushed");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("afctl: no build you can see published " + image + ":never-pushed\n");
    }

    @Test
    void logsShowEachPlatformsLogAndFollowToTheEnd() {
        AfctlProcess.Result arm64 = afctl.run("logs", buildId, "--platform", "arm64");
        assertThat(arm64.exitCode()).as(arm64.printed()).isZero();
        assertThat(arm64.out())
                .contains("=== attempt 1 on worker emulated-1 (EMULATED) ===", "STEP 2/3: RUN uname -m", "aarch64");

        AfctlProcess.Result both = afctl.run("logs", buildId);
        assertThat(both.out()).contains("==> linux/amd64 <==", "==> linux/arm64 <==", "x86_64", "aarch64");

        AfctlProcess.Result followedLogs = afctl.run("logs", "-f", buildId);
        assertThat(followedLogs.exitCode()).as(followedLogs.printed()).isZero();
        assertThat(followedLogs.out()).contains("linux/amd64 | x86_64", "linux/arm64 | aarch64");

        AfctlProcess.Result json = afctl.run("logs", "-o", "json", buildId);
        assertThat(Http.JSON
                        .readTree(json.out())
                        .valueStream()
                        .map(log -> log.path("platform").asString()))
                .containsExactly("linux/amd64", "linux/arm64");
    }

    @Test
    void jsonOutputIsTheApisJsonForScripts() {
        AfctlProcess.Result builds = afctl.run("builds", "--team", TEAM, "-o", "json");
        assertThat(builds.exitCode()).as(builds.printed()).isZero();
        JsonNode list = Http.JSON.readTree(builds.out());
        assertThat(list.isArray()).isTrue();
        assertThat(list.valueStream().map(b -> b.path("id").asString())).contains(buildId);

        AfctlProcess.Result workers = afctl.run("workers", "-o", "json");
        assertThat(Http.JSON
                        .readTree(workers.out())
                        .valueStream()
                        .map(w -> w.path("id").asString()))
                .contains("native-1", "emulated-1");

        AfctlProcess.Result table = afctl.run("workers");
        assertThat(table.out())
                .containsPattern("emulated-1 +ONLINE +- +linux/arm64 +\\d/1 +\\S+ ago +buildah \\d+\\.\\d+"
                        + "\\.\\d+, skopeo \\S+, qemu \\S+, kernel \\S+, (overlay|vfs)");
    }

    @Test
    void buildsPagesThroughTheWholeHistory() {
        AfctlProcess.Result project = afctl.run("build", "--project", TEAM + "/" + projectOfOnePlatform(), "--follow");
        assertThat(project.exitCode()).as(project.printed()).isZero();
        JsonNode all = farm.portal().get("/api/v1/builds?team=" + TEAM + "&limit=500");
        assertThat(all.size()).isGreaterThanOrEqualTo(2);

        AfctlProcess.Result paged = afctl.run("builds", "--team", TEAM, "--limit", "1", "--all", "-o", "json");

        assertThat(paged.exitCode()).as(paged.printed()).isZero();
        assertThat(Http.JSON
                        .readTree(paged.out())
                        .valueStream()
                        .map(b -> b.path("id").asString())
                        .toList())
                .isEqualTo(all.valueStream().map(b -> b.path("id").asString()).toList());

        AfctlProcess.Result table = afctl.run("builds", "--team", TEAM, "--limit", "1");
        assertThat(table.out().lines()).hasSize(2);
        assertThat(table.out()).startsWith("ID        BUILD");
    }

    private static String projectOfOnePlatform() {
        new E2eProjects(farm, TEAM)
                .create(
                        "hello",
                        Map.of("Containerfile", farm.fromBaseImage() + "COPY hi /hi\n", "hi", "hi\n"),
                        List.of("linux/amd64"),
                        farm.registry() + "/" + TEAM + "/hello");
        AfctlProcess.Result projects = afctl.run("projects");
        assertThat(projects.out()).containsPattern(TEAM + "/hello +git://\\S+/hello\\.git +main +linux/amd64");
        return "hello";
    }

    @Test
    void aFailingBuildEndsWithFourAndSaysWhy() {
        String repository = farm.git()
                .createRepository(
                        "failing",
                        Map.of("Containerfile", farm.fromBaseImage() + "RUN echo about to fail && exit 3\n"));

        AfctlProcess.Result failed = afctl.run(
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                farm.registry() + "/" + TEAM + "/failing:1",
                "--team",
                TEAM,
                "--follow",
                repository);

        assertThat(failed.exitCode()).as(failed.printed()).isEqualTo(4);
        assertThat(failed.out())
                .containsPattern("linux/amd64 FAILED: .*(code|status) 3")
                .contains("No manifest list was published.");
    }

    @Test
    void aCancelledBuildEndsWithSix() {
        String repository =
                farm.git().createRepository("slow", Map.of("Containerfile", farm.fromBaseImage() + "RUN sleep 60\n"));
        AfctlProcess.Result started = afctl.run(
                "build",
                "-q",
                "--platform",
                "linux/amd64",
                "--tag",
                farm.registry() + "/" + TEAM + "/slow:1",
                "--team",
                TEAM,
                repository);
        assertThat(started.exitCode()).as(started.printed()).isZero();
        String id = started.out().strip();

        AfctlProcess.Result cancel = afctl.run("cancel", id);
        assertThat(cancel.exitCode()).as(cancel.printed()).isZero();
        AfctlProcess.Result follow = afctl.run("follow", id);

        assertThat(follow.exitCode()).as(follow.printed()).isEqualTo(6);
        assertThat(follow.out()).containsPattern("build .* CANCELLED after");
    }

    @Test
    void aBadFlagEndsWithTwoAndAClearMessage() {
        AfctlProcess.Result bad = afctl.run("build", "--platfrom", "linux/amd64", "git://x/y.git");

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err())
                .contains("afctl: Unknown option: '--platfrom'")
                .contains("Try 'afctl build --help' for more information.");
        assertThat(bad.err()).doesNotContain("Exception");
    }

    @Test
    void versionNamesTheClientAndWhatTheFarmSays() {
        AfctlProcess.Result version = afctl.run("version");

        assertThat(version.exitCode()).as(version.printed()).isZero();
        assertThat(version.out())
                .startsWith("afctl   0.1.0-SNAPSHOT\n")
                .containsPattern("(?m)^server  0\\.1\\.0-SNAPSHOT.* at "
                        + Pattern.quote(farm.portal().baseUrl()) + "$");

        AfctlProcess.Result json = afctl.run("version", "-o", "json");
        JsonNode versions = Http.JSON.readTree(json.out());
        assertThat(versions.path("client").path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(versions.path("server").path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
    }

    @Test
    void theWrapperFindsAJava21WithoutJavaHome() {
        AfctlProcess.Result version = new AfctlProcess(home)
                .env("JAVA_HOME", null)
                .env("PATH", "/usr/bin:/bin")
                .run("--version");

        assertThat(version.exitCode()).as(version.printed()).isZero();
        assertThat(version.out()).isEqualTo("afctl 0.1.0-SNAPSHOT\n");
    }
}
