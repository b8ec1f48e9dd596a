package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The secrets canary: a project secret and a team secret with random values, read by RUN steps that mount them, must
 * appear nowhere the farm shows or keeps things: not in the job's log (which shows {@code ****} instead), the pushed
 * image's layers, config and history, the API's answers, the project page, the farm processes' log files, the
 * database's job logs, or anything left in the farm's working directories after the build.
 */
class SecretsCanaryE2ETest {

    private static final String FARM = "secrets-canary";
    private static final String TEAM = "canary";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);
    private static final long LARGEST_SEARCHED_FILE = 256L * 1024 * 1024;
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(FARM, List.of(new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1)));
        farm.portal().created("/api/v1/teams", Map.of("slug", TEAM, "name", "Canary"));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aCanaryReadByRunStepsAppearsNowhereButAsStars() throws Exception {
        String canary = "canary-" + UUID.randomUUID().toString().replace("-", "");
        String teamCanary = "team-canary-" + UUID.randomUUID();
        new E2eProjects(farm, TEAM)
                .create(
                        "app",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage()
                                        + "RUN --mount=type=secret,id=canary cat /run/secrets/canary"
                                        + " && cat /run/secrets/canary | wc -c\n"
                                        + "RUN --mount=type=secret,id=team.canary cat /run/secrets/team.canary; echo\n"
                                        + "RUN test ! -e /run/secrets/canary && echo 'no secret without a mount'\n"),
                        List.of("linux/amd64"),
                        farm.registry() + "/" + TEAM + "/app");
        assertThat(farm.portal()
                        .put("/api/v1/projects/" + TEAM + "/app/secrets/canary", Map.of("value", canary))
                        .status())
                .isEqualTo(201);
        assertThat(farm.portal()
                        .put("/api/v1/teams/" + TEAM + "/secrets/team.canary", Map.of("value", teamCanary))
                        .status())
                .isEqualTo(201);

        String id = new E2eProjects(farm, TEAM).startBuild("app");
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build: %s", build).isEqualTo("SUCCEEDED");
        String log = farm.portal().logs(id, "linux/amd64");
        assertThat(log)
                .as("the job's log shows the RUN step read the value, as stars")
                .contains("****" + canary.length())
                .contains("no secret without a mount")
                .contains("build secrets for RUN --mount=type=secret,id=…: canary, team.canary");
        List<String> canaries = List.of(canary, teamCanary);
        assertNowhere(canaries, "the job's log", log);
        assertNowhere(canaries, "the API's answers", apiAnswers(id, "app"));
        assertNowhere(canaries, "the project page", projectPage());
        assertNowhere(canaries, "the database's job logs and secrets", databaseText());
        String digest = BuildAwait.platform(build, "linux/amd64").path("digest").asString();
        for (Map.Entry<String, byte[]> blob : imageBlobs(TEAM + "/app", digest).entrySet()) {
            assertNowhere(
                    canaries, "image blob " + blob.getKey(), new String(blob.getValue(), StandardCharsets.ISO_8859_1));
        }
        for (Path dir : List.of(Farm.logDir(FARM), Farm.workDir(FARM))) {
            searchFiles(dir, canaries);
        }
    }

    /** A failing RUN step's last lines become the job's error: the API and the log show them masked too. */
    @Test
    void aFailingStepThatPrintsTheCanaryFailsWithAMaskedError() throws Exception {
        String canary = "failing-canary-" + UUID.randomUUID().toString().replace("-", "");
        new E2eProjects(farm, TEAM)
                .create(
                        "failing",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage()
                                        + "RUN --mount=type=secret,id=token echo \"token: $(cat /run/secrets/token)\" && exit 3\n"),
                        List.of("linux/amd64"),
                        farm.registry() + "/" + TEAM + "/failing");
        assertThat(farm.portal()
                        .put("/api/v1/projects/" + TEAM + "/failing/secrets/token", Map.of("value", canary))
                        .status())
                .isEqualTo(201);

        String id = new E2eProjects(farm, TEAM).startBuild("failing");
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build: %s", build).isEqualTo("FAILED");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("error").asString())
                .as("the job's error")
                .contains("token: ****");
        assertThat(farm.portal().logs(id, "linux/amd64")).contains("token: ****");
        List<String> canaries = List.of(canary);
        assertNowhere(canaries, "the build", build.toString());
        assertNowhere(canaries, "the job's log", farm.portal().logs(id, "linux/amd64"));
        assertNowhere(canaries, "the API's answers", apiAnswers(id, "failing"));
        assertNowhere(canaries, "the database's job logs and secrets", databaseText());
        for (Path dir : List.of(Farm.logDir(FARM), Farm.workDir(FARM))) {
            searchFiles(dir, canaries);
        }
    }

    private static void assertNowhere(List<String> canaries, String where, String text) {
        for (String canary : canaries) {
            String base64 = Base64.getEncoder()
                    .encodeToString(canary.getBytes(StandardCharsets.UTF_8))
                    .substring(0, 16);
            assertThat(text)
                    .as("the canary in %s", where)
                    .doesNotContain(canary)
                    .doesNotContain(base64);
        }
    }

    private static String apiAnswers(String buildId, String project) {
        String projectPath = "/api/v1/projects/" + TEAM + "/" + project;
        List<String> answers = new ArrayList<>();
        for (String path : List.of(
                "/api/v1/builds/" + buildId,
                "/api/v1/builds",
                projectPath,
                projectPath + "/builds",
                "/api/v1/teams/" + TEAM + "/projects",
                projectPath + "/secrets",
                "/api/v1/teams/" + TEAM + "/secrets")) {
            JsonNode answer = farm.portal().get(path);
            answers.add(answer.toString());
            if (path.equals(projectPath + "/secrets")) {
                assertThat(answer.findValuesAsString("id")).as(path).isNotEmpty();
            }
        }
        return String.join("\n", answers);
    }

    /** The project page as the admin sees it in a browser: signed in through the form, with a session cookie. */
    private static String projectPage() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String base = farm.portal().baseUrl();
        String login = browser.send(
                        HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = CSRF.matcher(login);
        assertThat(csrf.find()).as("the sign-in page has a CSRF token").isTrue();
        String form =
                "username=" + Farm.ADMIN + "&password=" + URLEncoder.encode(Farm.ADMIN_PASSWORD, StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/projects/" + TEAM + "/app"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .as("the page lists the secrets' ids")
                .contains("canary")
                .contains("team.canary");
        return page.body();
    }

    private static String databaseText() {
        List<String> rows = new ArrayList<>();
        farm.database().query("select sealed_value from build_secrets").forEach(row -> rows.add(row.toString()));
        for (String table : List.of("job_logs", "job_log_chunks", "log_chunks")) {
            if (!farm.database()
                    .query("select 1 from information_schema.tables where table_name = ?", table)
                    .isEmpty()) {
                farm.database().query("select * from " + table).forEach(row -> rows.add(row.toString()));
            }
        }
        farm.database().query("select * from platform_jobs").forEach(row -> rows.add(row.toString()));
        farm.database().query("select * from builds").forEach(row -> rows.add(row.toString()));
        return String.join("\n", rows);
    }

    /** The image's manifest, config and layers (each layer also uncompressed), by digest. */
    private static Map<String, byte[]> imageBlobs(String repository, String digest) throws IOException {
        RegistryClient registry = farm.registryClient();
        RegistryClient.Manifest manifest = registry.manifest(repository, digest);
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("manifest " + digest, manifest.bytes());
        JsonNode json = manifest.json();
        String config = json.path("config").path("digest").asString();
        blobs.put("config " + config, registry.blob(repository, config));
        assertThat(new String(blobs.get("config " + config), StandardCharsets.UTF_8))
                .as("the history")
                .contains("history")
                .contains("--mount=type=secret,id=canary");
        for (JsonNode layer : json.path("layers")) {
            String layerDigest = layer.path("digest").asString();
            byte[] bytes = registry.blob(repository, layerDigest);
            blobs.put("layer " + layerDigest, bytes);
            if (layer.path("mediaType").asString().endsWith("gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    blobs.put("layer " + layerDigest + " (uncompressed)", in.readAllBytes());
                }
            }
        }
        return blobs;
    }

    /** Every file under {@code dir}: the farm's logs, its workers' storage and work, its registry's, its git's. */
    private static void searchFiles(Path dir, List<String> canaries) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<byte[]> needles =
                canaries.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toList();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> size(f) <= LARGEST_SEARCHED_FILE)
                    .forEach(file -> {
                        byte[] content = read(file);
                        for (byte[] needle : needles) {
                            assertThat(indexOf(content, needle))
                                    .as("the canary in %s", file)
                                    .isNegative();
                        }
                    });
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] content, byte[] needle) {
        outer:
        for (int i = 0; i <= content.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
