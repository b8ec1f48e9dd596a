package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Build secrets through the API: maintainers set, replace and delete project and team secrets by id, every answer
 * and list names ids and who set them but never a value, the value is sealed at rest and never logged, and a project
 * secret hides the team secret of the same id.
 */
@PortalIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class BuildSecretApiIT {

    private static final String VALUE = "s3cret-value-9c41d07be2";
    private static final List<String> DEBUGGED = List.of(
            "io.archfarm", "org.springframework.web", "org.springframework.security", "org.springframework.jdbc");

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LoggingSystem logging;

    FarmAccounts farm;
    String team;
    String projectSecrets;
    String teamSecrets;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void teamWithAProject() {
        farm = new FarmAccounts(port);
        team = farm.team("sec");
        farm.project(team, """
                {"slug": "app", "repository": "%s", "platforms": ["linux/amd64"], "image": "127.0.0.1:5000/sec/app",
                 "defaultBranch": "trunk"}""".formatted(repo.url()));
        projectSecrets = "/api/v1/projects/" + team + "/app/secrets";
        teamSecrets = "/api/v1/teams/" + team + "/secrets";
    }

    @Test
    void aMaintainerSetsAProjectSecretWhoseValueIsOnlyKeptSealed() {
        PortalApi maintainer = farm.member(team, "maintainer");
        Answer created = expect(maintainer.put(projectSecrets + "/NPM_TOKEN", body(VALUE)), 201);
        assertThat(created.location()).endsWith(projectSecrets + "/NPM_TOKEN");
        JsonNode view = created.json();
        assertThat(view.path("id").asString()).isEqualTo("NPM_TOKEN");
        assertThat(view.path("scope").asString()).isEqualTo("project");
        assertThat(view.path("setBy").asString()).startsWith("maintainer");
        assertThat(view.has("setAt")).isTrue();
        assertThat(view.has("value")).isFalse();
        assertThat(created.body()).doesNotContain(VALUE);
        String sealed = sealedValue("NPM_TOKEN");
        assertThat(sealed).startsWith("v1:").doesNotContain(VALUE);

        Answer listed = expect(farm.member(team, "viewer").get(projectSecrets), 200);
        assertThat(listed.json().findValuesAsString("id")).containsExactly("NPM_TOKEN");
        assertThat(listed.body()).doesNotContain(VALUE);
        assertThat(expect(maintainer.get("/api/v1/projects/" + team + "/app"), 200)
                        .body())
                .doesNotContain(VALUE);

        expect(maintainer.put(projectSecrets + "/NPM_TOKEN", body("another-value")), 200);
        assertThat(sealedValue("NPM_TOKEN")).isNotEqualTo(sealed);
        assertThat(expect(maintainer.get(projectSecrets), 200).json().size()).isEqualTo(1);

        expect(maintainer.delete(projectSecrets + "/NPM_TOKEN"), 204);
        assertThat(expect(maintainer.get(projectSecrets), 200).json().size()).isZero();
        Answer gone = expect(maintainer.delete(projectSecrets + "/NPM_TOKEN"), 404);
        assertThat(gone.problemDetail()).contains("has no secret 'NPM_TOKEN'");
    }

    @Test
    void aProjectSecretOverridesTheTeamSecretOfTheSameId() {
        PortalApi maintainer = farm.member(team, "maintainer");
        expect(maintainer.put(teamSecrets + "/shared", body("team-value")), 201);
        expect(maintainer.put(teamSecrets + "/team.only", body("team-only")), 201);
        expect(maintainer.put(projectSecrets + "/shared", body("project-value")), 201);

        JsonNode teamList =
                expect(farm.member(team, "viewer").get(teamSecrets), 200).json();
        assertThat(teamList.findValuesAsString("id")).containsExactly("shared", "team.only");
        assertThat(teamList.findValuesAsString("scope")).containsOnly("team");

        JsonNode projectList = expect(maintainer.get(projectSecrets), 200).json();
        assertThat(projectList.findValuesAsString("id")).containsExactly("shared", "team.only");
        assertThat(projectList.findValuesAsString("scope")).containsExactly("project", "team");

        expect(maintainer.delete(projectSecrets + "/shared"), 204);
        assertThat(expect(maintainer.get(projectSecrets), 200).json().findValuesAsString("scope"))
                .containsExactly("team", "team");
    }

    @Test
    void onlyMaintainersChangeSecretsAndStrangersCannotTellTheTeamExists() {
        for (String role : new String[] {"developer", "viewer"}) {
            PortalApi member = farm.member(team, role);
            assertThat(expect(member.put(projectSecrets + "/x", body(VALUE)), 403)
                            .problemDetail())
                    .isNotBlank();
            expect(member.put(teamSecrets + "/x", body(VALUE)), 403);
            expect(member.delete(projectSecrets + "/x"), 403);
            expect(member.delete(teamSecrets + "/x"), 403);
            expect(member.get(projectSecrets), 200);
        }
        PortalApi stranger = farm.member(farm.team("other"), "maintainer");
        expect(stranger.put(projectSecrets + "/x", body(VALUE)), 404);
        expect(stranger.put(teamSecrets + "/x", body(VALUE)), 404);
        expect(stranger.get(projectSecrets), 404);
        expect(stranger.get(teamSecrets), 404);
        expect(farm.member(team, "maintainer").put("/api/v1/projects/" + team + "/nope/secrets/x", body(VALUE)), 404);
        expect(new PortalApi(port).put(teamSecrets + "/x", body(VALUE)), 401);
        assertThat(storedCount()).isZero();
    }

    @Test
    void badIdsAndValuesGetProblemsNamingTheField() {
        PortalApi maintainer = farm.member(team, "maintainer");
        Answer badId = expect(maintainer.put(projectSecrets + "/has%20space", body(VALUE)), 400);
        assertThat(badId.contentType()).startsWith("application/problem+json");
        assertThat(badId.json().path("field").asString()).isEqualTo("id");
        assertThat(badId.problemDetail()).contains("letters, digits");
        expect(maintainer.put(projectSecrets + "/" + "a".repeat(65), body(VALUE)), 400);
        expect(maintainer.put(projectSecrets + "/..", body(VALUE)), 400);

        assertThat(expect(maintainer.put(projectSecrets + "/x", body("")), 400)
                        .json()
                        .path("field")
                        .asString())
                .isEqualTo("value");
        assertThat(expect(maintainer.put(projectSecrets + "/x", ""), 400).problemDetail())
                .contains("value");
        assertThat(expect(maintainer.put(projectSecrets + "/x", "{\"valu\": \"x\"}"), 400)
                        .json()
                        .path("field")
                        .asString())
                .isEqualTo("valu");
        Answer tooLarge = expect(maintainer.put(projectSecrets + "/x", body("x".repeat(48 * 1024 + 1))), 400);
        assertThat(tooLarge.problemDetail()).contains("at most 49152");
        expect(maintainer.put(projectSecrets + "/x", body("x".repeat(70 * 1024))), 413);

        Answer multiLine =
                expect(maintainer.put(projectSecrets + "/key.pem", body("-----BEGIN KEY-----\\nabc\\n")), 201);
        assertThat(multiLine.json().path("id").asString()).isEqualTo("key.pem");
        assertThat(storedCount()).isEqualTo(1);
    }

    @Test
    void theProjectPageListsIdsAndSetsSecretsWithoutEverShowingAValue() {
        PortalApi admin = new PortalApi(port).signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        String page = "/projects/" + team + "/app";
        expect(farm.admin().put(teamSecrets + "/TEAM_TOKEN", body("team-" + VALUE)), 201);

        Answer set = admin.postForm(page + "/secrets", form(admin, page, "id", "NPM_TOKEN", "value", VALUE));
        assertThat(set.status()).as(set.body()).isEqualTo(302);
        Answer shown = expect(admin.get(page), 200);
        assertThat(shown.body())
                .contains("NPM_TOKEN")
                .contains("TEAM_TOKEN")
                .contains("id=\"set-secret\"")
                .doesNotContain(VALUE);
        assertThat(sealedValue("NPM_TOKEN")).startsWith("v1:");

        Answer refused = admin.postForm(page + "/secrets", form(admin, page, "id", "bad id", "value", VALUE));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("letters, digits").doesNotContain(VALUE);

        Answer deleted = admin.postForm(page + "/secrets/NPM_TOKEN/delete", form(admin, page));
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(expect(admin.get(page), 200).body())
                .doesNotContain("NPM_TOKEN")
                .contains("TEAM_TOKEN");
    }

    /** With the web layer's, the portal's and JDBC's debug logging on, as an operator chasing a problem would. */
    @Test
    void theValueNeverReachesThePortalsLog(CapturedOutput output) {
        PortalApi maintainer = farm.member(team, "maintainer");
        try {
            DEBUGGED.forEach(name -> logging.setLogLevel(name, LogLevel.DEBUG));
            LoggerFactory.getLogger(BuildSecretApiIT.class).debug("secret calls begin");
            expect(maintainer.put(projectSecrets + "/canary", body(VALUE)), 201);
            expect(maintainer.put(teamSecrets + "/canary", body(VALUE)), 201);
            expect(maintainer.put(projectSecrets + "/bad%20id", body(VALUE)), 400);
            expect(maintainer.put(projectSecrets + "/canary", "{\"value\": \"" + VALUE + "\", \"x\": 1}"), 400);
            expect(maintainer.put(projectSecrets + "/canary", "{\"value\": [\"" + VALUE + "\"]}"), 400);
            expect(maintainer.put(projectSecrets + "/canary", "{\"value\": \"" + VALUE), 400);
            expect(maintainer.put(projectSecrets + "/canary", "{\"value\": " + VALUE + "}"), 400);
            expect(maintainer.get(projectSecrets), 200);
            expect(maintainer.delete(projectSecrets + "/canary"), 204);
        } finally {
            DEBUGGED.forEach(name -> logging.setLogLevel(name, null));
        }

        assertThat(output.getAll())
                .as("the log was captured")
                .contains("secret calls begin")
                .contains("BuildSecretController")
                .doesNotContain(VALUE);
    }

    /** A form body with the page's CSRF token, as the browser posts it. */
    private static String form(PortalApi session, String page, String... fields) {
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
                .matcher(expect(session.get(page), 200).body());
        assertThat(csrf.find()).as("the page has a CSRF token").isTrue();
        StringBuilder body = new StringBuilder("_csrf=").append(encoded(csrf.group(1)));
        for (int i = 0; i < fields.length; i += 2) {
            body.append('&').append(fields[i]).append('=').append(encoded(fields[i + 1]));
        }
        return body.toString();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String sealedValue(String name) {
        return jdbc.sql("""
                select s.sealed_value from build_secrets s join projects p on p.id = s.project_id
                join teams t on t.id = s.team_id where t.slug = :team and p.slug = 'app' and s.name = :name""")
                .param("team", team)
                .param("name", name)
                .query(String.class)
                .single();
    }

    private int storedCount() {
        return jdbc.sql("select count(*) from build_secrets s join teams t on t.id = s.team_id where t.slug = :team")
                .param("team", team)
                .query(Integer.class)
                .single();
    }

    /** The JSON body; the value goes in as written, so JSON escapes stay escapes. */
    private static String body(String value) {
        return "{\"value\": \"" + value + "\"}";
    }
}
