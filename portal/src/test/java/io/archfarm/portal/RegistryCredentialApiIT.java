package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * A project's registry credential through the API: maintainers set and remove it, the password is sealed and never
 * comes back (not in answers, not in the log), and it stays with the registry it was set for.
 */
@PortalIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class RegistryCredentialApiIT {

    private static final String PASSWORD = "robot-pass-7f3a91c2e5";
    private static final List<String> DEBUGGED =
            List.of("io.archfarm", "org.springframework.web", "org.springframework.security");

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
    String project;
    String credential;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void teamWithAProject() {
        farm = new FarmAccounts(port);
        team = farm.team("reg");
        farm.project(team, projectJson("127.0.0.1:5000/reg/app"));
        project = "/api/v1/projects/" + team + "/app";
        credential = project + "/registry-credential";
    }

    @Test
    void aMaintainerSetsTheCredentialAndOnlyItsSealedPasswordIsKept() {
        PortalApi maintainer = farm.member(team, "maintainer");
        assertThat(maintainer.get(project).json().path("registryCredential").isNull())
                .isTrue();

        Answer set = expect(maintainer.put(credential, body("robot$ci", PASSWORD)), 200);
        JsonNode view = set.json().path("registryCredential");
        assertThat(view.path("registry").asString()).isEqualTo("127.0.0.1:5000");
        assertThat(view.path("username").asString()).isEqualTo("robot$ci");
        assertThat(view.path("inUse").asBoolean()).isTrue();
        assertThat(view.has("password")).isFalse();
        assertThat(set.body()).doesNotContain(PASSWORD);

        Answer read = expect(farm.member(team, "viewer").get(project), 200);
        assertThat(read.json().path("registryCredential").path("username").asString())
                .isEqualTo("robot$ci");
        assertThat(read.body()).doesNotContain(PASSWORD);
        assertThat(expect(farm.admin().get("/api/v1/teams/" + team + "/projects"), 200)
                        .body())
                .doesNotContain(PASSWORD);

        Map<String, Object> row = storedCredential();
        assertThat(row.get("registry_host")).isEqualTo("127.0.0.1:5000");
        assertThat(row.get("registry_username")).isEqualTo("robot$ci");
        assertThat((String) row.get("registry_secret")).startsWith("v1:").doesNotContain(PASSWORD);

        JsonNode replaced = expect(maintainer.put(credential, body("robot2", "another-pass")), 200)
                .json();
        assertThat(replaced.path("registryCredential").path("username").asString())
                .isEqualTo("robot2");
        assertThat((String) storedCredential().get("registry_secret")).isNotEqualTo(row.get("registry_secret"));
    }

    @Test
    void onlyMaintainersMayChangeItAndStrangersCannotTellTheProjectExists() {
        for (String role : new String[] {"developer", "viewer"}) {
            PortalApi member = farm.member(team, role);
            assertThat(expect(member.put(credential, body("robot", PASSWORD)), 403)
                            .problemDetail())
                    .isNotBlank();
            expect(member.delete(credential), 403);
        }
        PortalApi stranger = farm.member(farm.team("other"), "maintainer");
        expect(stranger.put(credential, body("robot", PASSWORD)), 404);
        expect(stranger.delete(credential), 404);
        expect(farm.person("nobody").put(credential, body("robot", PASSWORD)), 404);
        expect(new PortalApi(port).put(credential, body("robot", PASSWORD)), 401);
        assertThat(storedCredential().get("registry_secret")).isNull();
    }

    @Test
    void aCredentialThatCannotTravelInBasicAuthIsRefusedNamingItsField() {
        PortalApi maintainer = farm.member(team, "maintainer");
        assertThat(refusedFields(maintainer.put(credential, "{\"password\": \"" + PASSWORD + "\"}")))
                .containsExactly("username");
        assertThat(refusedFields(maintainer.put(credential, "{\"username\": \"robot\"}")))
                .containsExactly("password");
        assertThat(refusedFields(maintainer.put(credential, body("", "")))).containsExactly("username", "password");
        assertThat(refusedFields(maintainer.put(credential, body("robot:ci", PASSWORD))))
                .containsExactly("username");
        assertThat(refusedFields(maintainer.put(credential, body("robot\\nci", PASSWORD))))
                .containsExactly("username");
        assertThat(refusedFields(maintainer.put(credential, body(" robot", PASSWORD))))
                .containsExactly("username");
        assertThat(refusedFields(maintainer.put(credential, body("robot", "pass\\u0000word"))))
                .containsExactly("password");
        Answer unknown = expect(maintainer.put(credential, "{\"user\": \"robot\", \"password\": \"x\"}"), 400);
        assertThat(unknown.json().path("field").asString()).isEqualTo("user");
        Answer empty = expect(maintainer.put(credential, ""), 400);
        assertThat(empty.problemDetail()).contains("username and password");
        assertThat(storedCredential().get("registry_secret")).isNull();
    }

    @Test
    void deleteForgetsTheCredential() {
        PortalApi maintainer = farm.member(team, "maintainer");
        expect(maintainer.put(credential, body("robot", PASSWORD)), 200);

        JsonNode removed = expect(maintainer.delete(credential), 200).json();
        assertThat(removed.path("registryCredential").isNull()).isTrue();
        assertThat(expect(maintainer.get(project), 200)
                        .json()
                        .path("registryCredential")
                        .isNull())
                .isTrue();
        assertThat(storedCredential())
                .containsEntry("registry_host", null)
                .containsEntry("registry_username", null)
                .containsEntry("registry_secret", null);
        assertThat(expect(maintainer.delete(credential), 200)
                        .json()
                        .path("registryCredential")
                        .isNull())
                .isTrue();
    }

    @Test
    void anImageMovedToAnotherRegistryLeavesTheCredentialBehindUnused() {
        PortalApi maintainer = farm.member(team, "maintainer");
        expect(maintainer.put(credential, body("robot", PASSWORD)), 200);
        String sealed = (String) storedCredential().get("registry_secret");

        JsonNode moved = expect(maintainer.put(project, projectJson("registry.example.com/reg/app")), 200)
                .json();
        assertThat(moved.path("registryCredential").path("registry").asString()).isEqualTo("127.0.0.1:5000");
        assertThat(moved.path("registryCredential").path("inUse").asBoolean()).isFalse();
        assertThat(storedCredential())
                .containsEntry("registry_host", "127.0.0.1:5000")
                .containsEntry("registry_secret", sealed);

        JsonNode otherPort = expect(maintainer.put(project, projectJson("127.0.0.1:5001/reg/app")), 200)
                .json();
        assertThat(otherPort.path("registryCredential").path("inUse").asBoolean())
                .isFalse();

        JsonNode back = expect(maintainer.put(project, projectJson("127.0.0.1:5000/reg/other")), 200)
                .json();
        assertThat(back.path("registryCredential").path("inUse").asBoolean()).isTrue();

        expect(maintainer.put(project, projectJson("registry.example.com/reg/app")), 200);
        JsonNode reset =
                expect(maintainer.put(credential, body("robot", PASSWORD)), 200).json();
        assertThat(reset.path("registryCredential").path("registry").asString()).isEqualTo("registry.example.com");
        assertThat(reset.path("registryCredential").path("inUse").asBoolean()).isTrue();
    }

    /** With the web layer's and the portal's own debug logging on, as an operator chasing a problem would have it. */
    @Test
    void thePasswordNeverReachesThePortalsLog(CapturedOutput output) {
        PortalApi maintainer = farm.member(team, "maintainer");
        try {
            DEBUGGED.forEach(name -> logging.setLogLevel(name, LogLevel.DEBUG));
            LoggerFactory.getLogger(RegistryCredentialApiIT.class).debug("credential calls begin");
            expect(maintainer.put(credential, body("robot", PASSWORD)), 200);
            expect(maintainer.put(credential, body("robot:bad", PASSWORD)), 400);
            expect(
                    maintainer.put(
                            credential, "{\"username\": \"robot\", \"password\": \"" + PASSWORD + "\", \"x\": 1}"),
                    400);
            expect(maintainer.put(credential, "{\"username\": \"robot\", \"password\": [\"" + PASSWORD + "\"]}"), 400);
            expect(maintainer.put(credential, "{\"username\": \"robot\", \"password\": \"" + PASSWORD), 400);
            expect(maintainer.get(project), 200);
            expect(maintainer.delete(credential), 200);
        } finally {
            DEBUGGED.forEach(name -> logging.setLogLevel(name, null));
        }

        assertThat(output.getAll())
                .as("the log was captured")
                .contains("credential calls begin")
                .contains("RegistryCredentialBody")
                .doesNotContain(PASSWORD);
    }

    // --- helpers ---

    private Map<String, Object> storedCredential() {
        return jdbc.sql("""
                select registry_host, registry_username, registry_secret
                from projects p join teams t on t.id = p.team_id where t.slug = :team and p.slug = 'app'""").param("team", team).query().singleRow();
    }

    private static String[] refusedFields(Answer answer) {
        expect(answer, 400);
        assertThat(answer.problemDetail()).isNotBlank();
        return answer.json().path("errors").findValuesAsString("field").toArray(String[]::new);
    }

    /** The JSON body; the values go in as written, so JSON escapes (\n, \u0000) stay escapes. */
    private static String body(String username, String password) {
        return "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}";
    }

    private static String projectJson(String image) {
        return """
                {"slug": "app", "repository": "%s", "platforms": ["linux/amd64"], "image": "%s",
                 "defaultBranch": "trunk"}""".formatted(repo.url(), image);
    }
}
