package io.archfarm.portal.forge.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.archfarm.portal.forge.Forge;
import java.io.IOException;
import java.time.Duration;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Each forge's status call against a stub of its API on loopback, checked against the forge's documentation. */
class CommitStatusClientTest {

    static final String SHA = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";
    static final String BUILD_PAGE = "http://farm.example/builds/42";

    private ForgeStub forge;
    private final CommitStatusClient client =
            new CommitStatusClient(new CommitStatusProperties(Duration.ofSeconds(2), Duration.ofSeconds(5)));

    @BeforeEach
    void startForge() throws IOException {
        forge = new ForgeStub();
    }

    @AfterEach
    void stopForge() {
        forge.close();
    }

    @Test
    void githubGetsABearerTokenThePinnedApiVersionAndItsDocumentedBody() throws Exception {
        forge.answer(201, "{}");

        client.report(
                new CommitStatusTarget(Forge.GITHUB, forge.api("/api/v3"), "octo-org/hello-world", "ghp_s3cret"),
                new CommitStatus(SHA, CommitState.SUCCESS, BUILD_PAGE, "Build #42 published", "archfarm", "main"));

        RecordedRequest request = forge.received();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/v3/repos/octo-org/hello-world/statuses/" + SHA);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer ghp_s3cret");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(request.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertCommonHeaders(request);
        JsonNode body = ForgeStub.json(request);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("state", "target_url", "description", "context");
        assertThat(body.get("state").asString()).isEqualTo("success");
        assertThat(body.get("target_url").asString()).isEqualTo(BUILD_PAGE);
        assertThat(body.get("description").asString()).isEqualTo("Build #42 published");
        assertThat(body.get("context").asString()).isEqualTo("archfarm");
    }

    @Test
    void githubGetsTheDescriptionCutTo140Characters() throws Exception {
        forge.answer(201, "{}");
        String longer = "é".repeat(200);

        client.report(
                new CommitStatusTarget(Forge.GITHUB, forge.api("/"), "octo-org/hello-world", "ghp_s3cret"),
                new CommitStatus(SHA, CommitState.FAILURE, BUILD_PAGE, longer, "archfarm", null));

        RecordedRequest request = forge.received();
        assertThat(request.getTarget()).isEqualTo("/repos/octo-org/hello-world/statuses/" + SHA);
        String sent = ForgeStub.json(request).get("description").asString();
        assertThat(sent).hasSize(140).startsWith("éé").endsWith("é…");
        assertThat(ForgeStub.json(request).get("state").asString()).isEqualTo("failure");
    }

    @Test
    void gitlabGetsTheProjectPathEncodedOnceAndAPrivateToken() throws Exception {
        forge.answer(201, "{}");

        client.report(
                new CommitStatusTarget(Forge.GITLAB, forge.api("/api/v4"), "group/sub/project", "glpat-s3cret"),
                new CommitStatus(SHA, CommitState.FAILURE, BUILD_PAGE, "linux/arm64 failed", "archfarm", "main"));

        RecordedRequest request = forge.received();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/v4/projects/group%2Fsub%2Fproject/statuses/" + SHA);
        assertThat(request.getHeaders().get("PRIVATE-TOKEN")).isEqualTo("glpat-s3cret");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertCommonHeaders(request);
        JsonNode body = ForgeStub.json(request);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("state", "ref", "name", "target_url", "description");
        assertThat(body.get("state").asString()).isEqualTo("failed");
        assertThat(body.get("ref").asString()).isEqualTo("main");
        assertThat(body.get("name").asString()).isEqualTo("archfarm");
        assertThat(body.get("target_url").asString()).isEqualTo(BUILD_PAGE);
        assertThat(body.get("description").asString()).isEqualTo("linux/arm64 failed");
    }

    @Test
    void gitlabTakesANumericProjectIdAndATrailingSlashOnTheApiRoot() throws Exception {
        forge.answer(201, "{}");

        client.report(
                new CommitStatusTarget(Forge.GITLAB, forge.api("/api/v4/"), "42", "glpat-s3cret"),
                new CommitStatus(SHA, CommitState.ERROR, BUILD_PAGE, "cancelled", "archfarm", null));

        RecordedRequest request = forge.received();
        assertThat(request.getTarget()).isEqualTo("/api/v4/projects/42/statuses/" + SHA);
        JsonNode body = ForgeStub.json(request);
        assertThat(body.get("state").asString()).isEqualTo("canceled");
        assertThat(body.has("ref")).as("no ref is sent when none is known").isFalse();
    }

    @ParameterizedTest
    @CsvSource({"GITEA", "FORGEJO"})
    void giteaAndForgejoGetATokenAuthorizationAndTheirDocumentedBody(Forge kind) throws Exception {
        forge.answer(201, "{}");

        client.report(
                new CommitStatusTarget(kind, forge.api("/api/v1"), "owner/name", "0123abcd"),
                new CommitStatus(SHA, CommitState.PENDING, BUILD_PAGE, "Build #42 running", "archfarm", "main"));

        RecordedRequest request = forge.received();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/v1/repos/owner/name/statuses/" + SHA);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("token 0123abcd");
        assertCommonHeaders(request);
        JsonNode body = ForgeStub.json(request);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("state", "target_url", "description", "context");
        assertThat(body.get("state").asString()).isEqualTo("pending");
        assertThat(body.get("target_url").asString()).isEqualTo(BUILD_PAGE);
        assertThat(body.get("description").asString()).isEqualTo("Build #42 running");
        assertThat(body.get("context").asString()).isEqualTo("archfarm");
    }

    @ParameterizedTest
    @CsvSource({
        "GITHUB, PENDING, pending", "GITHUB, SUCCESS, success", "GITHUB, FAILURE, failure", "GITHUB, ERROR, error",
        "GITLAB, PENDING, pending", "GITLAB, SUCCESS, success", "GITLAB, FAILURE, failed", "GITLAB, ERROR, canceled",
        "GITEA, PENDING, pending", "GITEA, SUCCESS, success", "GITEA, FAILURE, failure", "GITEA, ERROR, error",
        "FORGEJO, PENDING, pending", "FORGEJO, SUCCESS, success", "FORGEJO, FAILURE, failure", "FORGEJO, ERROR, error"
    })
    void eachStateIsSpelledTheWayTheForgeDocumentsIt(Forge kind, CommitState state, String wire) throws Exception {
        forge.answer(201, "{}");

        client.report(
                new CommitStatusTarget(kind, forge.api("/api"), "owner/name", "t0ken"),
                new CommitStatus(SHA, state, BUILD_PAGE, null, "archfarm", null));

        assertThat(ForgeStub.json(forge.received()).get("state").asString()).isEqualTo(wire);
    }

    private static void assertCommonHeaders(RecordedRequest request) {
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo("archfarm");
    }

    static CommitStatus pending() {
        return new CommitStatus(SHA, CommitState.PENDING, BUILD_PAGE, "Build #42 running", "archfarm", "main");
    }

    @Test
    void aTargetNeverShowsItsToken() {
        CommitStatusTarget target = new CommitStatusTarget(Forge.GITHUB, forge.api("/"), "o/r", "ghp_s3cret");

        assertThat(target.toString()).doesNotContain("ghp_s3cret").contains("o/r");
    }

    @Test
    void aFailedCallNeverShowsTheToken() {
        forge.answer(403, "{\"message\":\"Resource not accessible by integration\"}");

        CommitStatusException refused = catchThrowableOfType(
                CommitStatusException.class,
                () -> client.report(
                        new CommitStatusTarget(Forge.GITEA, forge.api("/api/v1"), "o/r", "s3cret-token"), pending()));

        assertThat(refused.getMessage())
                .doesNotContain("s3cret-token")
                .contains("403")
                .contains("Resource not accessible by integration");
        assertThat(refused.retryable()).isFalse();
    }
}
