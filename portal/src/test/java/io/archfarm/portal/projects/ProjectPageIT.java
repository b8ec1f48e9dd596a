package io.archfarm.portal.projects;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalIntegrationTest;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import tools.jackson.databind.JsonNode;

/**
 * The project pages over HTTP, signed in through the sign-in form as a browser is: who sees what, the settings form
 * with the API's own field messages, the webhook secret only after a POST, the registry credential (its password never
 * shown), "Build now", CSRF on every form.
 */
@PortalIntegrationTest
class ProjectPageIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts farm;
    String team;
    String page;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void teamWithAProject() {
        farm = new FarmAccounts(port);
        team = farm.team("web");
        farm.project(team, """
                {"slug": "site", "repository": "%s", "platforms": ["linux/amd64", "linux/arm64"],
                 "image": "127.0.0.1:5000/web/site", "defaultBranch": "trunk",
                 "buildArgs": {"GREETING": "<b>hi</b>"}}""".formatted(repo.url()));
        page = "/projects/" + team + "/site";
    }

    @Test
    void aMaintainerEditsTheSettingsAndSeesTheSecretOnlyAfterAskingForIt() {
        Browser maintainer = signedIn(member("maintainer"));
        Page project = maintainer.get(page);
        assertThat(project.status()).isEqualTo(200);
        assertThat(project.body())
                .contains("<form id=\"project-settings\"")
                .contains("id=\"reveal-secret\"")
                .contains("id=\"build-now\"")
                .doesNotContain("id=\"webhook-secret\"");
        for (String forge : new String[] {"github", "gitlab", "gitea", "forgejo"}) {
            assertThat(project.body()).contains("https://farm.example.com/hooks/" + team + "/site/" + forge);
        }
        assertThat(project.body()).contains("application/json").contains("Tag push events");

        String secret = farm.admin()
                .get("/api/v1/projects/" + team + "/site/webhook-secret")
                .json()
                .path("secret")
                .asString();
        assertThat(project.body()).doesNotContain(secret);
        Page revealed = maintainer.post(page + "/webhook-secret", Map.of());
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.header("Cache-Control")).contains("no-store");
        assertThat(text(revealed, "code", "webhook-secret")).isEqualTo(secret);
        assertThat(maintainer.get(page).body()).doesNotContain(secret);

        Page rotated = maintainer.post(page + "/webhook-secret/rotate", Map.of());
        assertThat(rotated.header("Cache-Control")).contains("no-store");
        String fresh = text(rotated, "code", "webhook-secret");
        assertThat(fresh).matches("[0-9a-f]{64}").isNotEqualTo(secret);
        assertThat(farm.admin()
                        .get("/api/v1/projects/" + team + "/site/webhook-secret")
                        .json()
                        .path("secret")
                        .asString())
                .isEqualTo(fresh);

        Map<String, String> settings = settings();
        settings.put("platforms", "linux/amd64, linux/s390x");
        settings.put("tagFilters", "v*\n!v*-rc*");
        Page saved = maintainer.post(page + "/settings", settings);
        assertThat(saved.status()).isEqualTo(302);
        assertThat(saved.location()).endsWith(page);
        assertThat(maintainer.get(page).body())
                .contains("id=\"notice\"")
                .contains("Settings saved.")
                .contains("v*\n!v*-rc*");
        JsonNode stored = farm.admin().get("/api/v1" + page).json();
        assertThat(stored.path("platforms").toString()).isEqualTo("[\"linux/amd64\",\"linux/s390x\"]");
        assertThat(stored.path("tagFilters").toString()).isEqualTo("[\"v*\",\"!v*-rc*\"]");
        assertThat(stored.path("buildArgs").path("GREETING").asString()).isEqualTo("<b>hi</b>");
    }

    @Test
    void maintainersSeeTheWebhookDeliveriesWhatCameOfThemAndTheBuildTheyStarted() {
        JsonNode hooked = farm.project(team, """
                {"slug": "hooked", "repository": "%s", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/web/hooked"}""".formatted(repo.url()));
        String hooks = "/hooks/" + team + "/hooked/github";
        byte[] push = WebhookFixtures.body(Forge.GITHUB, "push-branch.json");
        String secret = hooked.path("webhookSecret").asString();
        PortalApi forge = new PortalApi(port);
        PortalApi.Answer built = forge.post(hooks, push, signed("delivery-1", push, secret));
        assertThat(built.status()).as(built.toString()).isEqualTo(202);
        forge.post(hooks, push, signed("delivery-2", push, "forged"));
        String project = "/projects/" + team + "/hooked";

        Page shown = signedIn(member("maintainer")).get(project);

        assertThat(shown.body())
                .contains("id=\"webhook-deliveries\"")
                .contains("id=\"deliveries-table\"")
                .containsPattern("data-delivery=\"delivery-1\" data-result=\"BUILT\"[\\s\\S]*?<td>GitHub</td>"
                        + "[\\s\\S]*?<code>push</code>[\\s\\S]*?<a href=\"/builds/"
                        + built.json().path("build").asString() + "\">#1</a>")
                .containsPattern("data-delivery=\"delivery-2\" data-result=\"REJECTED\"")
                .as("the reason it was refused")
                .containsIgnoringCase("signature");
        assertThat(shown.body().indexOf("delivery-2"))
                .as("newest first")
                .isLessThan(shown.body().indexOf("delivery-1"));
        for (String role : new String[] {"viewer", "developer"}) {
            assertThat(signedIn(member(role)).get(project).body())
                    .as(role)
                    .doesNotContain("webhook-deliveries")
                    .doesNotContain("delivery-1");
        }
        assertThat(signedIn(member("maintainer")).get(page).body()).contains("id=\"deliveries-none\"");
    }

    @Test
    void aMaintainerSetsAndRemovesTheRegistryCredentialAndThePasswordIsNeverShown() {
        String password = "robot-pass-5d1e07b9";
        Browser maintainer = signedIn(member("maintainer"));
        Page project = maintainer.get(page);
        assertThat(project.body())
                .contains("id=\"registry-credential\"")
                .contains("id=\"credential-none\"")
                .contains("<form id=\"set-credential\"")
                .doesNotContain("id=\"remove-credential\"")
                .containsPattern("<input id=\"registry-password\" name=\"password\" type=\"password\" value=\"\"");

        Page refused =
                maintainer.post(page + "/registry-credential", Map.of("username", "robot:ci", "password", password));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(fieldError(refused, "username")).contains("':'");
        assertThat(fieldError(refused, "password")).isNull();
        assertThat(refused.body())
                .doesNotContain(password)
                .containsPattern("<input id=\"registry-username\"[^>]*value=\"robot:ci\"[^>]*class=\"invalid\"");
        Page missing = maintainer.post(page + "/registry-credential", Map.of("username", "robot", "password", ""));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(fieldError(missing, "password")).contains("password is required");
        assertThat(farm.admin()
                        .get("/api/v1" + page)
                        .json()
                        .path("registryCredential")
                        .isNull())
                .isTrue();

        Page saved = maintainer.post(page + "/registry-credential", Map.of("username", "robot", "password", password));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(saved.location()).endsWith(page);
        Page shown = maintainer.get(page);
        assertThat(shown.body())
                .contains("Registry credential saved")
                .contains("data-in-use=\"true\"")
                .contains("id=\"remove-credential\"")
                .doesNotContain(password)
                .doesNotContain("id=\"credential-none\"");
        assertThat(text(shown, "code", "credential-registry")).isEqualTo("127.0.0.1:5000");
        assertThat(text(shown, "code", "credential-username")).isEqualTo("robot");
        assertThat(farm.admin()
                        .get("/api/v1" + page)
                        .json()
                        .path("registryCredential")
                        .path("username")
                        .asString())
                .isEqualTo("robot");

        Map<String, String> moved = settings();
        moved.put("image", "registry.example.com/web/site");
        assertThat(maintainer.post(page + "/settings", moved).status()).isEqualTo(302);
        assertThat(maintainer.get(page).body())
                .contains("data-in-use=\"false\"")
                .contains("registry.example.com")
                .doesNotContain(password);

        Page removed = maintainer.post(page + "/registry-credential/delete", Map.of());
        assertThat(removed.status()).isEqualTo(302);
        assertThat(removed.location()).endsWith(page);
        assertThat(maintainer.get(page).body())
                .contains("Registry credential removed")
                .contains("id=\"credential-none\"")
                .doesNotContain("id=\"remove-credential\"");
        assertThat(farm.admin()
                        .get("/api/v1" + page)
                        .json()
                        .path("registryCredential")
                        .isNull())
                .isTrue();
    }

    @Test
    void aViewerReadsTheSettingsAndADeveloperMayAlsoBuild() {
        Browser viewer = signedIn(member("viewer"));
        Page project = viewer.get(page);
        assertThat(project.status()).isEqualTo(200);
        assertThat(project.body())
                .contains("id=\"project-facts\"")
                .contains("linux/amd64, linux/arm64")
                .contains("GREETING=&lt;b&gt;hi&lt;/b&gt;")
                .doesNotContain("<b>hi</b>")
                .contains("id=\"webhook-urls\"")
                .doesNotContain("id=\"project-settings\"")
                .doesNotContain("id=\"reveal-secret\"")
                .doesNotContain("id=\"build-now\"")
                .doesNotContain("id=\"delete-project\"")
                .doesNotContain("id=\"registry-credential\"")
                .doesNotContain("id=\"set-credential\"");
        assertThat(viewer.post(page + "/webhook-secret", Map.of()).status()).isEqualTo(403);
        assertThat(viewer.post(page + "/registry-credential", Map.of("username", "robot", "password", "pw"))
                        .status())
                .isEqualTo(403);
        assertThat(viewer.post(page + "/registry-credential/delete", Map.of()).status())
                .isEqualTo(403);
        assertThat(viewer.post(page + "/settings", settings()).status()).isEqualTo(403);
        assertThat(viewer.post(page + "/builds", Map.of("ref", "")).status()).isEqualTo(403);
        assertThat(viewer.post(page + "/delete", Map.of()).status()).isEqualTo(403);

        Page developer = signedIn(member("developer")).get(page);
        assertThat(developer.body())
                .contains("id=\"build-now\"")
                .contains("id=\"build-ref\"")
                .contains("id=\"build-now-submit\"")
                .contains("id=\"project-facts\"")
                .doesNotContain("id=\"project-settings\"")
                .doesNotContain("id=\"reveal-secret\"")
                .doesNotContain("id=\"set-credential\"");
    }

    @Test
    void outsidersCannotTellTheProjectExists() {
        String other = farm.team("other");
        Browser outsider = signedIn(member(other, "maintainer"));
        Page project = outsider.get(page);
        assertThat(project.status()).isEqualTo(404);
        assertThat(project.body()).doesNotContain("site\" data-project");
        assertThat(outsider.get("/projects/" + team + "/nope").status()).isEqualTo(404);
        assertThat(outsider.post(page + "/webhook-secret", Map.of()).status()).isEqualTo(404);
        assertThat(outsider.post(page + "/registry-credential", Map.of("username", "robot", "password", "pw"))
                        .status())
                .isEqualTo(404);
        assertThat(outsider.post(page + "/builds", Map.of("ref", "")).status()).isEqualTo(404);
        assertThat(outsider.get(page + "/recent-builds").status()).isEqualTo(404);
        assertThat(outsider.get("/projects/new?team=" + team).status()).isEqualTo(404);

        Page list = outsider.get("/projects");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body())
                .contains("<table id=\"projects\"")
                .doesNotContain("data-project=\"" + team + "/site\"")
                .contains("data-team=\"" + other + "\"");

        Page own = signedIn(member("viewer")).get("/projects");
        assertThat(own.body())
                .contains("data-project=\"" + team + "/site\"")
                .contains(repo.url())
                .contains("no builds yet")
                .doesNotContain("class=\"new-project\"");
        assertThat(signedIn(person()).get("/projects").body())
                .contains("id=\"no-teams\"")
                .doesNotContain("data-project=");
    }

    @Test
    void invalidSettingsComeBackWithTheApisMessageNextToTheirFieldAndNothingSaved() {
        Browser maintainer = signedIn(member("maintainer"));
        Map<String, String> settings = settings();
        settings.put("platforms", "linux/amd64, linux/sparc");
        settings.put("tagTemplates", "{brnch}\nlatest");
        Page refused = maintainer.post(page + "/settings", settings);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(fieldError(refused, "platforms")).contains("linux/sparc");
        assertThat(fieldError(refused, "tagTemplates")).contains("{brnch}");
        assertThat(fieldError(refused, "image")).isNull();
        assertThat(refused.body())
                .containsPattern("<input id=\"platforms\"[^>]*value=\"linux/amd64, linux/sparc\"")
                .containsPattern("<input id=\"platforms\"[^>]*class=\"invalid\"")
                .containsPattern(
                        "<textarea id=\"tagTemplates\"[^>]*class=\"invalid\"[^>]*>\\{brnch}\nlatest</textarea>")
                .doesNotContainPattern("<input id=\"image\"[^>]*class=\"invalid\"");
        JsonNode stored = farm.admin().get("/api/v1" + page).json();
        assertThat(stored.path("platforms").toString()).isEqualTo("[\"linux/amd64\",\"linux/arm64\"]");
        assertThat(stored.path("tagTemplates").toString())
                .isEqualTo("[\"{branch}\",\"{tag}\",\"sha-{sha:7}\",\"latest\"]");
    }

    /** Issue 11: the settings form holds the image's registry to the host rule, as the API does. */
    @Test
    void anImageOnAnInternalRegistryComesBackWithTheRuleNextToTheImageField() {
        Browser maintainer = signedIn(member("maintainer"));
        Map<String, String> settings = settings();
        settings.put("image", "169.254.169.254/web/site");
        Page refused = maintainer.post(page + "/settings", settings);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(fieldError(refused, "image"))
                .contains("image '169.254.169.254/web/site' is refused: host "
                        + "169.254.169.254 is a cloud metadata address; an operator can allow it with "
                        + "archfarm.registry.allowed-hosts");
        assertThat(farm.admin().get("/api/v1" + page).json().path("image").asString())
                .isEqualTo("127.0.0.1:5000/web/site");
    }

    @Test
    void buildNowStartsABuildOfTheRefAndNamesARefThatDoesNotExist() {
        String developer = member("developer");
        Browser browser = signedIn(developer);
        Page started = browser.post(page + "/builds", Map.of("ref", ""));
        assertThat(started.status()).isEqualTo(302);
        assertThat(started.location()).matches(".*/builds/[0-9a-f-]{36}");
        UUID id =
                UUID.fromString(started.location().substring(started.location().lastIndexOf('/') + 1));
        JsonNode build = farm.admin().get("/api/v1/builds/" + id).json();
        assertThat(build.path("ref").asString()).isEqualTo("trunk");
        assertThat(build.path("commit").asString()).isEqualTo(repo.revParse("trunk"));
        assertThat(build.path("trigger").asString()).isEqualTo("UI");
        assertThat(build.path("requestedBy").asString()).isEqualTo(developer);
        assertThat(build.path("number").asLong()).isEqualTo(1);

        Page tagged = browser.post(page + "/builds", Map.of("ref", "v1.0"));
        assertThat(tagged.status()).isEqualTo(302);
        Page project = browser.get(page);
        assertThat(project.body())
                .contains("id=\"project-builds\"")
                .contains(">#1</a>")
                .contains(">#2</a>")
                .contains("data-platform=\"linux/arm64\"");
        assertThat(browser.get("/projects").body())
                .contains("data-project=\"" + team + "/site\"")
                .contains(">#2</a>");
        Page panel = browser.get(page + "/recent-builds");
        assertThat(panel.body())
                .startsWith("<section id=\"recent-builds\"")
                .contains("hx-trigger=\"every 3s\"")
                .contains(">#2</a>")
                .doesNotContain("<header");

        Page missing = browser.post(page + "/builds", Map.of("ref", "nope"));
        assertThat(missing.status()).isEqualTo(400);
        String apiDetail = expect(
                        farm.admin().post("/api/v1/projects/" + team + "/site/builds", "{\"ref\": \"nope\"}"), 400)
                .problemDetail();
        assertThat(fieldError(missing, "ref")).isEqualTo(apiDetail).contains("'nope' does not exist");
        assertThat(missing.body()).containsPattern("<input id=\"build-ref\"[^>]*value=\"nope\"[^>]*class=\"invalid\"");
        assertThat(farm.admin().get("/api/v1/projects/" + team + "/site/builds").json())
                .hasSize(2);
    }

    @Test
    void theLayerCacheIsTickedUntilAMaintainerClearsItAndBuildNowMayGoWithoutIt() {
        Browser maintainer = signedIn(member("maintainer"));
        assertThat(maintainer.get("/projects/new?team=" + team).body())
                .as("a new project's form: on")
                .containsPattern("<input type=\"checkbox\" id=\"layerCache\"[^>]*checked=\"checked\"");
        Page project = maintainer.get(page);
        assertThat(project.body())
                .contains("Layer cache")
                .containsPattern("<input type=\"checkbox\" id=\"layerCache\"[^>]*checked=\"checked\"")
                .containsPattern("<input type=\"checkbox\" id=\"build-no-cache\" name=\"noCache\" value=\"true\"");

        Page withoutCache = maintainer.post(page + "/builds", Map.of("ref", "", "noCache", "true"));
        assertThat(withoutCache.status()).isEqualTo(302);
        JsonNode refreshed =
                farm.admin().get("/api/v1/builds/" + idOf(withoutCache)).json();
        assertThat(refreshed.path("noCache").asBoolean()).isTrue();
        assertThat(refreshed.path("layerCache").asString()).isEqualTo("refresh");
        Page withCache = maintainer.post(page + "/builds", Map.of("ref", ""));
        assertThat(farm.admin()
                        .get("/api/v1/builds/" + idOf(withCache))
                        .json()
                        .path("layerCache")
                        .asString())
                .isEqualTo("use");

        Map<String, String> ticked = settings();
        ticked.put("layerCache", "true");
        assertThat(maintainer.post(page + "/settings", ticked).status()).isEqualTo(302);
        assertThat(farm.admin().get("/api/v1" + page).json().path("layerCache").asBoolean())
                .isTrue();
        // a cleared checkbox sends nothing: that is "off", not the API's default
        assertThat(maintainer.post(page + "/settings", settings()).status()).isEqualTo(302);
        assertThat(farm.admin().get("/api/v1" + page).json().path("layerCache").asBoolean())
                .isFalse();
        assertThat(maintainer.get(page).body())
                .containsPattern("<input type=\"checkbox\" id=\"layerCache\" name=\"layerCache\" value=\"true\""
                        + "\\s+aria-describedby=\"hint-layerCache\">")
                .contains("This project does not use the layer cache");
        assertThat(text(signedIn(member("viewer")).get(page), "dd", "fact-layer-cache"))
                .isEqualTo("no");
        Page off = maintainer.post(page + "/builds", Map.of("ref", ""));
        assertThat(farm.admin()
                        .get("/api/v1/builds/" + idOf(off))
                        .json()
                        .path("layerCache")
                        .asString())
                .isEqualTo("off");
    }

    @Test
    void everyFormNeedsItsCsrfToken() {
        Browser maintainer = signedIn(member("maintainer"));
        maintainer.get(page);
        Map<String, String> settings = settings();
        settings.put("platforms", "linux/s390x");
        assertThat(maintainer.postWithoutCsrf(page + "/settings", settings).status())
                .isEqualTo(403);
        assertThat(maintainer
                        .postWithoutCsrf(page + "/webhook-secret", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(maintainer
                        .postWithoutCsrf(page + "/registry-credential", Map.of("username", "robot", "password", "pw"))
                        .status())
                .isEqualTo(403);
        assertThat(maintainer
                        .postWithoutCsrf(page + "/registry-credential/delete", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(maintainer
                        .postWithoutCsrf(page + "/builds", Map.of("ref", ""))
                        .status())
                .isEqualTo(403);
        assertThat(maintainer.postWithoutCsrf(page + "/delete", Map.of()).status())
                .isEqualTo(403);
        assertThat(maintainer
                        .postWithoutCsrf("/projects/new", Map.of("team", team, "slug", "x"))
                        .status())
                .isEqualTo(403);
        JsonNode stored = farm.admin().get("/api/v1" + page).json();
        assertThat(stored.path("platforms").toString()).isEqualTo("[\"linux/amd64\",\"linux/arm64\"]");
        assertThat(stored.path("registryCredential").isNull()).isTrue();
        assertThat(farm.admin().get("/api/v1/projects/" + team + "/site/builds").json())
                .isEmpty();
    }

    @Test
    void aMaintainerCreatesAProjectWithEveryMistakeNamedAndDeletesIt() {
        Browser maintainer = signedIn(member("maintainer"));
        assertThat(maintainer.get("/projects").body()).contains("href=\"/projects/new?team=" + team + "\"");
        Page form = maintainer.get("/projects/new?team=" + team);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("<form id=\"new-project\"").contains("{branch}\n{tag}\nsha-{sha:7}\nlatest");
        assertThat(signedIn(member("developer"))
                        .get("/projects/new?team=" + team)
                        .status())
                .isEqualTo(403);

        Map<String, String> fields = settings();
        fields.put("team", team);
        fields.put("slug", "Not A Slug");
        fields.put("platforms", "linux/sparc");
        Page refused = maintainer.post("/projects/new", fields);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(fieldError(refused, "slug")).contains("Not A Slug");
        assertThat(fieldError(refused, "platforms")).contains("linux/sparc");
        assertThat(refused.body()).containsPattern("<input id=\"slug\"[^>]*value=\"Not A Slug\"");

        fields.put("slug", "site");
        fields.put("platforms", "linux/amd64");
        assertThat(fieldError(maintainer.post("/projects/new", fields), "slug")).contains("already exists");

        fields.put("slug", "api");
        fields.put("branchFilters", "");
        Page created = maintainer.post("/projects/new", fields);
        assertThat(created.status()).isEqualTo(302);
        assertThat(created.location()).endsWith("/projects/" + team + "/api");
        assertThat(maintainer.get("/projects/" + team + "/api").body()).contains("Project created.");
        JsonNode api = farm.admin().get("/api/v1/projects/" + team + "/api").json();
        assertThat(api.path("branchFilters").toString()).isEqualTo("[\"trunk\"]");
        assertThat(api.path("platforms").toString()).isEqualTo("[\"linux/amd64\"]");

        Page deleted = maintainer.post("/projects/" + team + "/api/delete", Map.of());
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(deleted.location()).endsWith("/projects");
        assertThat(maintainer.get("/projects").body())
                .contains(team + "/api deleted")
                .doesNotContain("data-project=\"" + team + "/api\"");
        assertThat(farm.admin().get("/api/v1/projects/" + team + "/api").status())
                .isEqualTo(404);
    }

    // --- helpers ---

    /** Every setting of the project as its form sends them. */
    private static Map<String, String> settings() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("repository", repo.url());
        form.put("defaultBranch", "trunk");
        form.put("containerfile", "Containerfile");
        form.put("context", ".");
        form.put("platforms", "linux/amd64, linux/arm64");
        form.put("placement", "native-preferred");
        form.put("platformPlacement", "");
        form.put("image", "127.0.0.1:5000/web/site");
        form.put("tagTemplates", "{branch}\n{tag}\nsha-{sha:7}\nlatest");
        form.put("publish", "all");
        form.put("buildArgs", "GREETING=<b>hi</b>");
        form.put("branchFilters", "trunk");
        form.put("tagFilters", "*");
        form.put("forge", "");
        form.put("forgeApiUrl", "");
        form.put("forgeRepository", "");
        form.put("forgeToken", "");
        return form;
    }

    /** GitHub's headers for a push delivery, signed with {@code secret} (PortalApi sets the content type). */
    private static Map<String, String> signed(String deliveryId, byte[] body, String secret) {
        Map<String, String> headers =
                new LinkedHashMap<>(WebhookFixtures.headers(Forge.GITHUB, "push", deliveryId, body, secret)
                        .toSingleValueMap());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Content-Type"));
        return headers;
    }

    private static UUID idOf(Page started) {
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        return UUID.fromString(started.location().substring(started.location().lastIndexOf('/') + 1));
    }

    private String member(String role) {
        return member(team, role);
    }

    /** A new person with {@code role} in {@code team}; returns the username (the password is FarmAccounts'). */
    private String member(String inTeam, String role) {
        String username = person();
        expect(
                farm.admin().put("/api/v1/teams/" + inTeam + "/members/" + username, "{\"role\":\"" + role + "\"}"),
                201);
        return username;
    }

    private String person() {
        String username = FarmAccounts.unique("person");
        expect(
                farm.admin()
                        .post(
                                "/api/v1/users",
                                "{\"username\":\"%s\",\"password\":\"%s\",\"displayName\":\"%s\"}"
                                        .formatted(username, FarmAccounts.PASSWORD, username)),
                201);
        return username;
    }

    private Browser signedIn(String username) {
        return new Browser("http://127.0.0.1:" + port).signIn(username, FarmAccounts.PASSWORD);
    }

    /** The text of the element with this id, unescaped. */
    private static String text(Page page, String tag, String id) {
        Matcher m = Pattern.compile("<" + tag + " id=\"" + id + "\"[^>]*>([^<]*)</" + tag + ">")
                .matcher(page.body());
        assertThat(m.find()).as("%s#%s in %s", tag, id, page.body()).isTrue();
        return unescape(m.group(1));
    }

    /** The messages of {@code .field-error[data-field=field]}, unescaped and joined; null when there is none. */
    private static String fieldError(Page page, String field) {
        Matcher m = Pattern.compile(
                        "<div class=\"field-error\" data-field=\"" + Pattern.quote(field) + "\">(.*?)</div>\\s*</div>",
                        Pattern.DOTALL)
                .matcher(page.body());
        if (!m.find()) {
            return null;
        }
        return unescape(m.group(1)
                .replaceAll("\\s*<div>", "")
                .replaceAll("</div>\\s*", "\n")
                .strip());
    }

    private static String unescape(String html) {
        return html.replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    record Page(int status, String location, HttpHeaders headers, String body) {

        String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    /** A browser without JavaScript: a cookie jar, no redirects followed, forms posted with the page's CSRF token. */
    static final class Browser {

        private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

        private final String base;
        private final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private String csrf;

        Browser(String base) {
            this.base = base;
        }

        Browser signIn(String username, String password) {
            get("/login");
            Page answer = post("/login", Map.of("username", username, "password", password));
            assertThat(answer.status())
                    .as("sign-in as %s: %s", username, answer)
                    .isEqualTo(302);
            assertThat(answer.location()).doesNotContain("error");
            csrf = null; // signing in starts a new session with a new token
            return this;
        }

        Page get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        /** Posts the form with the CSRF token of the last page that had one (fetching the list page if none did). */
        Page post(String path, Map<String, String> fields) {
            if (csrf == null) {
                get("/projects");
            }
            Map<String, String> withToken = new LinkedHashMap<>(fields);
            withToken.put("_csrf", csrf);
            return postWithoutCsrf(path, withToken);
        }

        Page postWithoutCsrf(String path, Map<String, String> fields) {
            String body = fields.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private Page send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> response = http.send(
                        request.timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Matcher token = CSRF.matcher(response.body());
                if (token.find()) {
                    csrf = token.group(1);
                }
                return new Page(
                        response.statusCode(),
                        response.headers().firstValue("Location").orElse(null),
                        response.headers(),
                        response.body());
            } catch (IOException e) {
                throw new AssertionError("request to the portal failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
