package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.WebhookIT.Hook;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A project that cancels superseded builds: a push to a branch asks the scheduler to stop the project's queued and
 * running builds of older commits of that branch, in the transaction that records the new build. Pushes are GitHub's
 * own delivery, with the pushed commit changed and the body signed again.
 */
@PortalIntegrationTest
class SupersededBuildsIT {

    private static final String FIRST = WebhookFixtures.BRANCH_COMMIT;
    private static final String SECOND = "1111111111111111111111111111111111111111";
    private static final String THIRD = "2222222222222222222222222222222222222222";

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
    void aPushToABranchCancelsTheOpenBuildsOfItsOlderCommits() {
        Hook hook = hook("supersedes", true);

        String first = push(hook, "refs/heads/main", FIRST, "d-1");
        String second = push(hook, "refs/heads/main", SECOND, "d-2");

        assertThat(cancelRequested(first)).as("the first build, superseded").isTrue();
        assertThat(cancelRequested(second)).isFalse();
        assertThat(cancelReasons(first)).containsExactly("superseded by #2 (commit 111111111111) of branch main");

        // a build by hand of the branch's head, then a push of the same commit: neither supersedes the other
        String head = repo.revParse("trunk");
        Answer byHand = hook.farm()
                .admin()
                .post("/api/v1/projects/" + hook.team() + "/supersedes/builds", "{\"ref\": \"trunk\"}");
        assertThat(byHand.status()).as(byHand.toString()).isEqualTo(202);
        String handBuilt = byHand.json().path("id").asString();
        String pushed = push(hook, "refs/heads/trunk", head, "d-3");
        assertThat(cancelRequested(handBuilt))
                .as("a build of the same commit supersedes nothing")
                .isFalse();

        String feature = push(hook, "refs/heads/feature", THIRD, "d-4");
        assertThat(cancelRequested(second)).as("a push to another branch").isFalse();

        String third = push(hook, "refs/heads/main", THIRD, "d-5");
        assertThat(cancelRequested(second)).isTrue();
        assertThat(cancelRequested(feature)).as("the feature branch's build").isFalse();
        assertThat(cancelRequested(third)).isFalse();
        assertThat(cancelReasons(first)).as("asked once").hasSize(1);

        push(hook, "refs/heads/trunk", SECOND, "d-6");
        assertThat(cancelRequested(handBuilt))
                .as("a build by hand of an older commit")
                .isTrue();
        assertThat(cancelRequested(pushed)).isTrue();
    }

    @Test
    void aBuildThatEndedOrOfATagIsNeverCancelledAndTheSettingIsOffByDefault() {
        Hook off = hook("keeps", false);
        String first = push(off, "refs/heads/main", FIRST, "k-1");
        push(off, "refs/heads/main", SECOND, "k-2");
        assertThat(cancelRequested(first))
                .as("the project does not cancel superseded builds")
                .isFalse();
        assertThat(off.farm()
                        .admin()
                        .get("/api/v1/projects/" + off.team() + "/keeps")
                        .json()
                        .path("cancelSuperseded")
                        .asBoolean())
                .isFalse();

        Hook on = hook("ended", true);
        String ended = push(on, "refs/heads/main", FIRST, "e-1");
        jdbc.sql("update builds set status = 'SUCCEEDED' where id = cast(:id as uuid)")
                .param("id", ended)
                .update();
        String tagged = push(on, "refs/tags/v1.0.0", FIRST, "e-2");
        push(on, "refs/heads/main", SECOND, "e-3");
        assertThat(cancelRequested(ended)).as("an ended build").isFalse();
        assertThat(cancelRequested(tagged)).as("a build of a tag").isFalse();
    }

    @Test
    void theSettingIsShownAndChangedThroughTheApi() {
        Hook hook = hook("setting", true);
        String path = "/api/v1/projects/" + hook.team() + "/setting";
        JsonNode project = hook.farm().admin().get(path).json();
        assertThat(project.path("cancelSuperseded").asBoolean()).isTrue();

        Answer invalid = hook.farm().admin().put(path, projectBody("setting", "\"sometimes\""));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        assertThat(invalid.json().path("field").asString()).isEqualTo("cancelSuperseded");

        Answer off = hook.farm().admin().put(path, projectBody("setting", "false"));
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.json().path("cancelSuperseded").asBoolean()).isFalse();
    }

    private Hook hook(String slug, boolean cancelSuperseded) {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("supersede");
        JsonNode project = farm.project(team, projectBody(slug, String.valueOf(cancelSuperseded)));
        assertThat(project.path("cancelSuperseded").asBoolean()).isEqualTo(cancelSuperseded);
        return new Hook(
                farm,
                new PortalApi(port),
                team,
                slug,
                project.path("webhookSecret").asString(),
                jdbc);
    }

    private String projectBody(String slug, String cancelSuperseded) {
        return """
                {"slug": "%s", "repository": "%s", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/acme/%s", "branchFilters": ["*"], "tagFilters": ["v*"],
                 "cancelSuperseded": %s}""".formatted(slug, repo.url(), slug, cancelSuperseded);
    }

    /** GitHub's push delivery for {@code ref} at {@code commit}, signed with the project's secret; the new build. */
    private static String push(Hook hook, String ref, String commit, String deliveryId) {
        String body = new String(WebhookFixtures.body(Forge.GITHUB, "push-branch.json"), StandardCharsets.UTF_8)
                .replace("\"refs/heads/main\"", "\"" + ref + "\"")
                .replace(FIRST, commit);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Answer answer = hook.api()
                .post(
                        hook.path(Forge.GITHUB),
                        bytes,
                        WebhookIT.single(
                                WebhookFixtures.headers(Forge.GITHUB, "push", deliveryId, bytes, hook.secret())));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().path("build").asString();
    }

    private boolean cancelRequested(String buildId) {
        return jdbc.sql("select cancel_requested_at is not null from builds where id = cast(:id as uuid)")
                .param("id", buildId)
                .query(Boolean.class)
                .single();
    }

    /** The reasons of the cancel requests announced for the build, oldest first. */
    private List<String> cancelReasons(String buildId) {
        return jdbc.sql("""
                        select payload->>'reason' from outbox
                        where message_type = 'io.archfarm.model.messages.BuildCancelRequested'
                          and payload->>'buildId' = :id order by created_at""").param("id", buildId).query(String.class).list();
    }
}
