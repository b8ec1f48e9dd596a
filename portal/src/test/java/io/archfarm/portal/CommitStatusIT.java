package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.status.ForgeStub;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Commit statuses reach a forge stub on loopback exactly as each forge's API documents them: pending when a push
 * starts a build, then the outcome, with a link to the build's page. A forge answering 500 holds nothing back.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.git.allow-file-urls=true", "archfarm.git.allowed-hosts=127.0.0.1,localhost",
            "archfarm.commit-statuses.poll-interval=100ms", "archfarm.commit-statuses.first-retry=200ms",
            "archfarm.portal.public-url=https://farm.example.com"
        })
@Import(ArchfarmTestServices.class)
class CommitStatusIT {

    private static final String SHA = WebhookFixtures.BRANCH_COMMIT;

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ForgeStub forge;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void startForge() throws Exception {
        forge = new ForgeStub();
    }

    @AfterEach
    void stopForge() {
        forge.close();
    }

    @Test
    void gitHubGetsPendingThenSuccessWithALinkToTheBuild() throws Exception {
        forge.answer(201, "{}");
        forge.answer(201, "{}");
        Pushed pushed = push(Forge.GITHUB, "/api/v3", "acme/hello-arch", "ghp_t0ken");

        RecordedRequest pending = forge.received();
        assertThat(pending.getMethod()).isEqualTo("POST");
        assertThat(pending.getTarget()).isEqualTo("/api/v3/repos/acme/hello-arch/statuses/" + SHA);
        assertThat(pending.getHeaders().get("Authorization")).isEqualTo("Bearer ghp_t0ken");
        assertThat(pending.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(pending.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        JsonNode body = ForgeStub.json(pending);
        assertThat(body.path("state").asString()).isEqualTo("pending");
        assertThat(body.path("target_url").asString()).isEqualTo("https://farm.example.com/builds/" + pushed.build());
        assertThat(body.path("context").asString()).isEqualTo("archfarm/hello-arch");
        assertThat(body.path("description").asString()).isEqualTo("#1 is queued");

        finish(pushed.build(), "SUCCEEDED", null);
        JsonNode success = ForgeStub.json(forge.received());
        assertThat(success.path("state").asString()).isEqualTo("success");
        assertThat(success.path("description").asString()).isEqualTo("#1 succeeded");
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCESS".equals(reported(pushed.build())));
    }

    @Test
    void gitLabGetsItsOwnStatesThroughItsStatusApi() throws Exception {
        forge.answer(201, "{}");
        forge.answer(201, "{}");
        Pushed pushed = push(Forge.GITLAB, "/api/v4", "acme/hello-arch", "glpat-t0ken");

        RecordedRequest pending = forge.received();
        assertThat(pending.getTarget()).isEqualTo("/api/v4/projects/acme%2Fhello-arch/statuses/" + SHA);
        assertThat(pending.getHeaders().get("PRIVATE-TOKEN")).isEqualTo("glpat-t0ken");
        JsonNode body = ForgeStub.json(pending);
        assertThat(body.path("state").asString()).isEqualTo("pending");
        assertThat(body.path("name").asString()).isEqualTo("archfarm/hello-arch");
        assertThat(body.path("ref").asString()).isEqualTo("main");

        finish(pushed.build(), "FAILED", "linux/arm64 failed: RUN exited with 2");
        JsonNode failed = ForgeStub.json(forge.received());
        assertThat(failed.path("state").asString()).isEqualTo("failed");
        assertThat(failed.path("description").asString()).isEqualTo("#1 failed: linux/arm64 failed: RUN exited with 2");
    }

    @Test
    void giteaGetsErrorForACancelledBuild() throws Exception {
        forge.answer(201, "{}");
        forge.answer(201, "{}");
        Pushed pushed = push(Forge.GITEA, "/api/v1", "acme/hello-arch", "gitea-t0ken");

        RecordedRequest pending = forge.received();
        assertThat(pending.getTarget()).isEqualTo("/api/v1/repos/acme/hello-arch/statuses/" + SHA);
        assertThat(pending.getHeaders().get("Authorization")).isEqualTo("token gitea-t0ken");
        assertThat(ForgeStub.json(pending).path("state").asString()).isEqualTo("pending");

        finish(pushed.build(), "CANCELLED", null);
        assertThat(ForgeStub.json(forge.received()).path("state").asString()).isEqualTo("error");
    }

    @Test
    void aForgeAnswering500HoldsNothingBackAndIsRetriedUntilItAnswers() throws Exception {
        forge.answer(500, "{\"message\":\"down for maintenance\"}");
        forge.answer(500, "{\"message\":\"down for maintenance\"}");
        forge.answer(201, "{}");
        Pushed pushed = push(Forge.GITHUB, "", "acme/hello-arch", "ghp_t0ken");

        assertThat(pushed.answer().status()).as("the push is accepted at once").isEqualTo(202);
        assertThat(jdbc.sql("select count(*) from outbox where payload::text like :id")
                        .param("id", "%" + pushed.build() + "%")
                        .query(Long.class)
                        .single())
                .as("the build is announced to the scheduler whatever the forge does")
                .isEqualTo(1);

        assertThat(ForgeStub.json(forge.received()).path("state").asString()).isEqualTo("pending");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.sql("select last_error from commit_statuses where build_id = :b")
                        .param("b", pushed.build())
                        .query(String.class)
                        .optional()
                        .filter(e -> e.contains("500"))
                        .isPresent());
        forge.received();
        assertThat(ForgeStub.json(forge.received()).path("state").asString()).isEqualTo("pending");
        await().atMost(Duration.ofSeconds(5)).until(() -> "PENDING".equals(reported(pushed.build())));
        assertThat(forge.requestCount()).isEqualTo(3);

        finish(pushed.build(), "SUCCEEDED", null);
        forge.answer(201, "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCESS".equals(reported(pushed.build())));
    }

    // --- helpers ---

    private record Pushed(Answer answer, UUID build) {}

    /** A project reporting to the stub, and a GitHub-, GitLab- or Gitea-signed push of main to it. */
    private Pushed push(Forge kind, String apiRoot, String repository, String token) {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("status");
        JsonNode project =
                farm.project(team, """
                {"slug": "hello-arch", "repository": "%s", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/acme/hello-arch",
                 "commitStatus": {"forge": "%s", "apiUrl": "%s", "repository": "%s", "token": "%s"}}""".formatted(repo.url(), kind.wireName(), forge.api(apiRoot), repository, token));
        assertThat(project.path("commitStatus").path("tokenSet").asBoolean()).isTrue();
        assertThat(project.path("commitStatus").has("token")).isFalse();
        byte[] body = WebhookFixtures.body(kind, "push-branch.json");
        Answer answer = new PortalApi(port)
                .post(
                        "/hooks/" + team + "/hello-arch/" + kind.wireName(),
                        body,
                        WebhookIT.single(WebhookFixtures.headers(
                                kind,
                                kind == Forge.GITLAB ? "Push Hook" : "push",
                                UUID.randomUUID().toString(),
                                body,
                                project.path("webhookSecret").asString())));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return new Pushed(answer, UUID.fromString(answer.json().path("build").asString()));
    }

    /** What the scheduler does when a build ends. */
    private void finish(UUID build, String status, String error) {
        jdbc.sql("update builds set status = :status, error = :error, finished_at = now() where id = :id")
                .param("status", status)
                .param("error", error)
                .param("id", build)
                .update();
    }

    private String reported(UUID build) {
        return jdbc.sql("select reported_state from commit_statuses where build_id = :b")
                .param("b", build)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
