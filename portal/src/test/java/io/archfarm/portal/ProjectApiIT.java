package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.hosts.HostResolver;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.testing.ArchfarmTestServices;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Projects through the API: defaults, validation, secrets kept secret, and builds with the project's defaults. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"archfarm.git.allow-file-urls=true", "archfarm.portal.public-url=https://farm.example.com/"})
@Import({ArchfarmTestServices.class, ProjectApiIT.PublicForgeDns.class})
class ProjectApiIT {

    /** This machine has no DNS: api.github.com answers with a public address, every other name as the system says. */
    @TestConfiguration
    static class PublicForgeDns {
        @Bean
        HostResolver hostResolver() {
            return host -> host.equalsIgnoreCase("api.github.com")
                    ? List.of(InetAddress.getByAddress(host, new byte[] {(byte) 140, 82, 121, 6}))
                    : HostResolver.system().resolve(host);
        }
    }

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @Test
    void aNewProjectGetsDefaultsWebhookUrlsAndASecretShownOnce() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("web");
        JsonNode created = farm.project(team, minimal("site"));

        assertThat(created.path("defaultBranch").asString()).isEqualTo("trunk");
        assertThat(created.path("containerfile").asString()).isEqualTo("Containerfile");
        assertThat(created.path("tagTemplates").toString())
                .isEqualTo("[\"{branch}\",\"{tag}\",\"sha-{sha:7}\",\"latest\"]");
        assertThat(created.path("branchFilters").toString()).isEqualTo("[\"trunk\"]");
        assertThat(created.path("tagFilters").toString()).isEqualTo("[\"*\"]");
        assertThat(created.path("webhooks").path("github").asString())
                .isEqualTo("https://farm.example.com/hooks/" + team + "/site/github");
        assertThat(created.path("webhooks").path("forgejo").asString())
                .isEqualTo("https://farm.example.com/hooks/" + team + "/site/forgejo");
        String secret = created.path("webhookSecret").asString();
        assertThat(secret).matches("[0-9a-f]{64}");

        JsonNode read = farm.admin().get("/api/v1/projects/" + team + "/site").json();
        assertThat(read.has("webhookSecret")).isFalse();
        assertThat(read.toString()).doesNotContain(secret);
        assertThat(farm.admin()
                        .get("/api/v1/projects/" + team + "/site/webhook-secret")
                        .json()
                        .path("secret")
                        .asString())
                .isEqualTo(secret);
        assertThat(expect(farm.admin().post("/api/v1/teams/" + team + "/projects", minimal("site")), 409)
                        .problemDetail())
                .contains("already exists");
    }

    @Test
    void everyWrongFieldIsNamedAtOnce() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("bad");
        Answer answer = farm.admin().post("/api/v1/teams/" + team + "/projects", """
                {"slug": "Not A Slug", "repository": "https://10.0.0.5/app.git", "platforms": ["linux/sparc"],
                 "image": "127.0.0.1:5000/app", "tagTemplates": ["{brnch}"], "branchFilters": [""],
                 "commitStatus": {"forge": "bitbucket", "apiUrl": "http://169.254.169.254/api",
                                  "repository": "acme/app"}}""");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains("Not A Slug");

        Answer fields = farm.admin().post("/api/v1/teams/" + team + "/projects", """
                {"slug": "app", "repository": "https://10.0.0.5/app.git", "platforms": ["linux/sparc"],
                 "image": "127.0.0.1:5000/app", "tagTemplates": ["{brnch}"], "branchFilters": [""],
                 "commitStatus": {"forge": "bitbucket", "apiUrl": "http://169.254.169.254/api",
                                  "repository": "acme/app"}}""");
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().path("errors").findValuesAsString("field"))
                .contains(
                        "repository",
                        "platforms",
                        "tagTemplates",
                        "branchFilters",
                        "commitStatus.forge",
                        "commitStatus.apiUrl",
                        "commitStatus.token");
        assertThat(fields.problemDetail())
                .contains("10.0.0.5")
                .contains("private")
                .contains("linux/sparc")
                .contains("{brnch}")
                .contains("169.254.169.254");
    }

    @Test
    void buildsTakeTheProjectsDefaultsNumbersAndTemplatedTags() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("app");
        farm.project(team, """
                {"slug": "api", "repository": "%s", "platforms": ["linux/amd64", "linux/s390x"],
                 "image": "127.0.0.1:5000/app/api", "defaultBranch": "trunk", "buildArgs": {"MODE": "release"},
                 "placement": "native-preferred", "publish": "partial", "fetchSubmodules": true}""".formatted(repo.url()));
        PortalApi developer = farm.member(team, "developer");

        JsonNode first = expect(developer.post("/api/v1/projects/" + team + "/api/builds", "{}"), 202)
                .json();
        assertThat(first.path("number").asLong()).isEqualTo(1);
        assertThat(first.path("project").asString()).isEqualTo("api");
        assertThat(first.path("team").asString()).isEqualTo(team);
        assertThat(first.path("ref").asString()).isEqualTo("trunk");
        assertThat(first.path("commit").asString()).isEqualTo(repo.revParse("trunk"));
        String sha7 = repo.revParse("trunk").substring(0, 7);
        assertThat(first.path("tags").toString()).isEqualTo("[\"trunk\",\"sha-" + sha7 + "\",\"latest\"]");
        assertThat(first.path("buildArgs").path("MODE").asString()).isEqualTo("release");
        assertThat(first.path("trigger").asString()).isEqualTo("API");
        assertThat(first.path("requestedBy").asString()).startsWith("developer-");

        JsonNode tag = expect(
                        developer.post(
                                "/api/v1/projects/" + team + "/api/builds",
                                "{\"ref\": \"v1.0\", \"platforms\": [\"linux/amd64\"]}"),
                        202)
                .json();
        assertThat(tag.path("number").asLong()).isEqualTo(2);
        assertThat(tag.path("commit").asString()).isEqualTo(repo.revParse("v1.0^{commit}"));
        assertThat(tag.path("tags").toString())
                .isEqualTo("[\"v1.0\",\"sha-" + repo.revParse("v1.0^{commit}").substring(0, 7) + "\"]");
        assertThat(tag.path("platforms")).hasSize(1);

        JsonNode chosen = expect(
                        developer.post("/api/v1/projects/" + team + "/api/builds", "{\"tags\": [\"hotfix\"]}"), 202)
                .json();
        assertThat(chosen.path("tags").toString()).isEqualTo("[\"hotfix\"]");
        assertThat(expect(developer.post("/api/v1/projects/" + team + "/api/builds", "{\"ref\": \"nope\"}"), 400)
                        .problemDetail())
                .contains("'nope' does not exist");

        assertThat(developer.get("/api/v1/projects/" + team + "/api/builds").json())
                .extracting(b -> b.path("number").asLong())
                .containsExactly(3L, 2L, 1L);
        assertThat(jdbc.sql("select bool_and(fetch_submodules) from builds where id = :id")
                        .param("id", UUID.fromString(first.path("id").asString()))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void anUpdateKeepsTheForgeTokenUnlessGivenAndADeletedProjectKeepsItsBuilds() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("ops");
        farm.project(team, """
                {"slug": "tool", "repository": "%s", "platforms": ["linux/amd64"], "image": "127.0.0.1:5000/ops/tool",
                 "defaultBranch": "trunk",
                 "commitStatus": {"forge": "github", "apiUrl": "https://api.github.com", "repository": "ops/tool",
                                  "token": "ghp_secret_token_value"}}""".formatted(repo.url()));
        String sealed = jdbc.sql("select forge_token from projects where slug = 'tool'")
                .query(String.class)
                .single();
        assertThat(sealed).startsWith("v1:").doesNotContain("ghp_secret_token_value");

        JsonNode updated = expect(
                        farm.admin().put("/api/v1/projects/" + team + "/tool", """
                {"repository": "%s", "platforms": ["linux/amd64", "linux/arm64"], "image": "127.0.0.1:5000/ops/tool",
                 "defaultBranch": "trunk",
                 "commitStatus": {"forge": "github", "apiUrl": "https://api.github.com", "repository": "ops/tool"}}""".formatted(repo.url())), 200)
                .json();
        assertThat(updated.path("platforms")).hasSize(2);
        assertThat(updated.path("commitStatus").path("tokenSet").asBoolean()).isTrue();
        assertThat(updated.toString()).doesNotContain("ghp_secret_token_value");
        assertThat(jdbc.sql("select forge_token from projects where slug = 'tool'")
                        .query(String.class)
                        .single())
                .isEqualTo(sealed);

        String build = expect(farm.admin().post("/api/v1/projects/" + team + "/tool/builds", "{}"), 202)
                .json()
                .path("id")
                .asString();
        assertThat(farm.admin().delete("/api/v1/projects/" + team + "/tool").status())
                .isEqualTo(204);
        assertThat(farm.admin().get("/api/v1/projects/" + team + "/tool").status())
                .isEqualTo(404);
        JsonNode kept = expect(farm.admin().get("/api/v1/builds/" + build), 200).json();
        assertThat(kept.path("team").asString()).isEqualTo(team);
        assertThat(kept.path("project").isNull()).isTrue();
    }

    @Test
    void aProjectsImageFollowsTheRegistryRule() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("registries");
        String internal = minimal("internal").replace("127.0.0.1:5000/web/internal", "10.1.2.3:5000/web/internal");
        Answer refused = expect(farm.admin().post("/api/v1/teams/" + team + "/projects", internal), 400);
        assertThat(refused.problemDetail())
                .isEqualTo("image '10.1.2.3:5000/web/internal' is refused: host 10.1.2.3"
                        + " is a private address; an operator can allow it with archfarm.registry.allowed-hosts");
        expect(farm.admin().post("/api/v1/teams/" + team + "/projects", minimal("allowed")), 201);
    }

    @Test
    void theLayerCacheIsOnUnlessTheProjectTurnsItOffAndEachBuildKeepsWhatItStartedWith() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("cache");
        assertThat(farm.project(team, minimal("cached")).path("layerCache").asBoolean())
                .as("on by default")
                .isTrue();
        PortalApi developer = farm.member(team, "developer");
        String builds = "/api/v1/projects/" + team + "/cached/builds";

        JsonNode uses = expect(developer.post(builds, "{}"), 202).json();
        JsonNode refreshes =
                expect(developer.post(builds, "{\"noCache\": true}"), 202).json();
        assertThat(uses.path("layerCache").asString()).isEqualTo("use");
        assertThat(uses.path("noCache").asBoolean()).isFalse();
        assertThat(refreshes.path("layerCache").asString()).isEqualTo("refresh");
        assertThat(refreshes.path("noCache").asBoolean()).isTrue();

        JsonNode turnedOff = expect(
                        farm.admin()
                                .put(
                                        "/api/v1/projects/" + team + "/cached",
                                        minimal("cached").replace("}", ", \"layerCache\": false}")),
                        200)
                .json();
        assertThat(turnedOff.path("layerCache").asBoolean()).isFalse();
        assertThat(farm.admin()
                        .get("/api/v1/projects/" + team + "/cached")
                        .json()
                        .path("layerCache")
                        .asBoolean())
                .isFalse();
        JsonNode off =
                expect(developer.post(builds, "{\"noCache\": true}"), 202).json();
        assertThat(off.path("layerCache").asString())
                .as("the project's setting wins")
                .isEqualTo("off");
        assertThat(developer
                        .get("/api/v1/builds/" + uses.path("id").asString())
                        .json()
                        .path("layerCache")
                        .asString())
                .as("a build keeps what it was started with")
                .isEqualTo("use");

        Answer notABoolean = farm.admin()
                .put(
                        "/api/v1/projects/" + team + "/cached",
                        minimal("cached").replace("}", ", \"layerCache\": \"sometimes\"}"));
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.contentType()).startsWith("application/problem+json");
        assertThat(notABoolean.json().path("field").asString()).isEqualTo("layerCache");
        Answer badNoCache = developer.post(builds, "{\"noCache\": [true]}");
        assertThat(badNoCache.status()).isEqualTo(400);
        assertThat(badNoCache.json().path("field").asString()).isEqualTo("noCache");
    }

    private static String minimal(String slug) {
        return """
                {"slug": "%s", "repository": "%s", "platforms": ["linux/amd64"], "image": "127.0.0.1:5000/web/%s",
                 "defaultBranch": "trunk"}""".formatted(slug, repo.url(), slug);
    }
}
