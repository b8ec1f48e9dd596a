package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.portal.PortalApi.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Retry failed platforms" through the API, with the test playing the scheduler's part in the database (jobs and
 * build status). The same context as {@link BuildApiIT}, so a run of both starts the portal once.
 */
@PortalIntegrationTest
class BuildRetryApiIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts farm;
    String team;
    PortalApi developer;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void aTeamWithADeveloper() {
        farm = new FarmAccounts(port);
        team = farm.team("retry");
        developer = farm.member(team, "developer");
    }

    @Test
    void retriesThePlatformsThatDidNotSucceedOnceHoweverOftenItIsAsked() {
        UUID build = build("linux/amd64", "linux/arm64", "linux/s390x");
        job(build, "linux/amd64", "SUCCEEDED");
        job(build, "linux/arm64", "FAILED");
        job(build, "linux/s390x", "CANCELLED");
        ended(build, "PARTIAL");
        JsonNode before = developer.get("/api/v1/builds/" + build).json();
        assertThat(before.path("retryable").asBoolean()).isTrue();
        assertThat(texts(before.path("retryPlatforms"))).containsExactly("linux/arm64", "linux/s390x");

        Answer first = developer.post("/api/v1/builds/" + build + "/retry", "");
        Answer second = developer.post("/api/v1/builds/" + build + "/retry", "");

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.json().path("id").asString()).isEqualTo(build.toString());
        assertThat(texts(first.json().path("retryPlatforms"))).containsExactly("linux/arm64", "linux/s390x");
        assertThat(first.json().path("retryable").asBoolean())
                .as("a retry waits for the scheduler")
                .isFalse();
        assertThat(first.json().path("retryRequestedAt").asString()).isNotBlank();
        assertThat(first.json().path("status").asString()).isEqualTo("PARTIAL");
        assertThat(second.status()).as(second.toString()).isEqualTo(202);
        assertThat(texts(second.json().path("retryPlatforms"))).containsExactly("linux/arm64", "linux/s390x");
        List<Map<String, Object>> rows = outboxRows(build, BuildRetryRequested.class);
        assertThat(rows).as("a double click is one retry").hasSize(1);
        assertThat(rows.getFirst().get("routing_key")).isEqualTo("build.retry-requested");
        BuildRetryRequested message = JsonMapper.builder()
                .build()
                .readValue((String) rows.getFirst().get("payload"), BuildRetryRequested.class);
        assertThat(message.buildId()).isEqualTo(build);
        assertThat(message.requestedBy()).isEqualTo(username(developer));
    }

    @Test
    void aRunningOrSucceededBuildHasNothingToRetry() {
        UUID running = build("linux/amd64");
        job(running, "linux/amd64", "RUNNING");
        ended(running, "RUNNING");
        UUID succeeded = build("linux/amd64");
        job(succeeded, "linux/amd64", "SUCCEEDED");
        ended(succeeded, "SUCCEEDED");
        UUID mergeFailed = build("linux/amd64");
        job(mergeFailed, "linux/amd64", "SUCCEEDED");
        ended(mergeFailed, "FAILED");

        Answer whileRunning = developer.post("/api/v1/builds/" + running + "/retry", "");
        Answer afterSuccess = developer.post("/api/v1/builds/" + succeeded + "/retry", "");
        Answer allSucceeded = developer.post("/api/v1/builds/" + mergeFailed + "/retry", "");

        assertThat(whileRunning.status()).as(whileRunning.toString()).isEqualTo(409);
        assertThat(whileRunning.problemDetail()).contains("is RUNNING").contains("FAILED, PARTIAL or CANCELLED");
        assertThat(afterSuccess.status()).isEqualTo(409);
        assertThat(afterSuccess.problemDetail()).contains("SUCCEEDED").contains("nothing to retry");
        assertThat(allSucceeded.status()).isEqualTo(409);
        assertThat(allSucceeded.problemDetail()).contains("every platform").contains("succeeded");
        for (UUID build : List.of(running, succeeded, mergeFailed)) {
            assertThat(outboxRows(build, BuildRetryRequested.class)).isEmpty();
            assertThat(jdbc.sql("select retry_requested_at is null from builds where id = :id")
                            .param("id", build)
                            .query(Boolean.class)
                            .single())
                    .as("the mark is rolled back")
                    .isTrue();
        }
        assertThat(developer
                        .get("/api/v1/builds/" + mergeFailed)
                        .json()
                        .path("retryable")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void onlyDevelopersOfTheBuildsTeamRetryIt() {
        UUID build = build("linux/amd64");
        job(build, "linux/amd64", "FAILED");
        ended(build, "FAILED");
        PortalApi viewer = farm.member(team, "viewer");
        PortalApi outsider = farm.member(farm.team("other"), "maintainer");

        Answer byViewer = viewer.post("/api/v1/builds/" + build + "/retry", "");
        Answer byOutsider = outsider.post("/api/v1/builds/" + build + "/retry", "");
        Answer unknown = developer.post("/api/v1/builds/" + UUID.randomUUID() + "/retry", "");

        assertThat(byViewer.status()).as(byViewer.toString()).isEqualTo(403);
        assertThat(byViewer.problemDetail()).contains("viewer").contains("developer");
        assertThat(byOutsider.status()).isEqualTo(404);
        assertThat(byOutsider.problemDetail()).contains("does not exist");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(outboxRows(build, BuildRetryRequested.class)).isEmpty();
        assertThat(farm.admin().post("/api/v1/builds/" + build + "/retry", "").status())
                .isEqualTo(202);
    }

    @Test
    void theForgeIsToldPendingAgainEvenAfterTheReporterGaveUp() {
        UUID build = build("linux/amd64");
        job(build, "linux/amd64", "FAILED");
        ended(build, "FAILED");
        jdbc.sql("""
                        insert into commit_statuses (build_id, reported_state, attempts, next_attempt_at, last_error)
                        values (:build, 'FAILURE', 40, now() + interval '100 years', 'forge down')""").param("build", build).update();

        expect(developer.post("/api/v1/builds/" + build + "/retry", ""), 202);

        Map<String, Object> status = jdbc.sql("""
                        select attempts, last_error, next_attempt_at <= now() as due from commit_statuses
                        where build_id = :build""").param("build", build).query().singleRow();
        assertThat(status)
                .containsEntry("attempts", 0)
                .containsEntry("last_error", null)
                .containsEntry("due", true);
    }

    @Test
    void aCancellationNamesWhoAskedForIt() {
        UUID build = build("linux/amd64");

        expect(developer.post("/api/v1/builds/" + build + "/cancel", ""), 202);

        BuildCancelRequested message = JsonMapper.builder()
                .build()
                .readValue(
                        (String) outboxRows(build, BuildCancelRequested.class)
                                .getFirst()
                                .get("payload"),
                        BuildCancelRequested.class);
        assertThat(message.requestedBy()).isEqualTo(username(developer));
    }

    // --- the scheduler's part, played in the database ---

    private UUID build(String... platforms) {
        String body = BuildApiIT.body(
                repo.url(),
                "\"team\": \"" + team + "\", \"platforms\": [\"" + String.join("\", \"", platforms) + "\"]");
        return UUID.fromString(expect(developer.post("/api/v1/builds", body), 202)
                .json()
                .path("id")
                .asString());
    }

    private void job(UUID build, String platform, String status) {
        jdbc.sql("""
                        insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts,
                                                   worker_id, mode, digest, error, queued_at, started_at)
                        values (:id, :build, :platform, 'NATIVE_PREFERRED', :status, 1, 3, 'w-1', 'NATIVE', :digest,
                                :error, now(), now())""")
                .param("id", UUID.randomUUID())
                .param("build", build)
                .param("platform", platform)
                .param("status", status)
                .param("digest", "SUCCEEDED".equals(status) ? "sha256:" + "a".repeat(64) : null)
                .param("error", "FAILED".equals(status) ? "RUN make exited with 2" : null)
                .update();
    }

    private void ended(UUID build, String status) {
        jdbc.sql("update builds set status = :status, error = :error where id = :id")
                .param("status", status)
                .param("error", "FAILED".equals(status) ? "could not push the manifest list" : null)
                .param("id", build)
                .update();
    }

    private List<Map<String, Object>> outboxRows(UUID build, Class<?> type) {
        return jdbc.sql("""
                        select routing_key, payload::text as payload from outbox
                        where payload->>'buildId' = :id and message_type = :type""")
                .param("id", build.toString())
                .param("type", type.getName())
                .query()
                .listOfRows();
    }

    private static String username(PortalApi caller) {
        return caller.get("/api/v1/users/me").json().path("username").asString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.values().forEach(node -> texts.add(node.asString()));
        return texts;
    }
}
