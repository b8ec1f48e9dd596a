package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.WebhookIT.Hook;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Replays start nothing: the same delivery id in another case, the same push (ref and commit) under a new id within
 * the window, and a GitLab delivery whose event header does not match its ref.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"archfarm.git.allow-file-urls=true", "archfarm.portal.webhook-duplicate-window=10m"})
@Import(ArchfarmTestServices.class)
class WebhookReplayIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @EnumSource(Forge.class)
    void theSameDeliveryIdInAnotherCaseIsADuplicate(Forge forge) {
        Hook hook = hook();
        String id = "3f2b1c4d-aaaa-4bbb-8ccc-ddddeeeeffff";

        Answer first = hook.deliver(forge, "push-branch.json", pushEvent(forge), id);
        assertThat(first.status()).as(first.toString()).isEqualTo(202);

        Answer upper = hook.deliver(forge, "push-branch.json", pushEvent(forge), id.toUpperCase(Locale.ROOT));
        assertThat(upper.status()).as(upper.toString()).isEqualTo(200);
        assertThat(upper.json().path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(upper.json().path("detail").asString()).contains("was already handled");
        assertThat(hook.builds()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void theSamePushUnderANewIdWithinTheWindowStartsNothingAndTheLogSaysWhichBuild(Forge forge) {
        Hook hook = hook();
        Answer first = hook.deliver(forge, "push-branch.json", pushEvent(forge), "first");
        String build = first.json().path("build").asString();

        Answer replay = hook.deliver(forge, "push-branch.json", pushEvent(forge), "captured-and-sent-again");

        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.json().path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(replay.json().path("build").asString()).isEqualTo(build);
        assertThat(replay.json().path("detail").asString())
                .startsWith("push to branch 'main' at " + WebhookFixtures.BRANCH_COMMIT + " was already built by "
                        + "build #1 (" + build + "), started by delivery first at ")
                .endsWith("; nothing started (the same push within 10 minutes)");
        assertThat(hook.builds()).hasSize(1);
        JsonNode log = hook.deliveries();
        assertThat(log.get(0).path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(log.get(0).path("deliveryId").asString()).isEqualTo("captured-and-sent-again");
        assertThat(log.get(0).path("build").asString()).isEqualTo(build);

        Answer otherBranch = hook.deliver(forge, "push-other-branch.json", pushEvent(forge), "other");
        assertThat(otherBranch.json().path("result").asString())
                .as("another ref is another push")
                .isIn("BUILT", "IGNORED");
    }

    @Test
    void theSamePushAfterTheWindowBuildsAgain() {
        Hook hook = hook();
        hook.deliver(Forge.GITHUB, "push-branch.json", "push", "long-ago");
        jdbc.sql("""
                        update webhook_deliveries set received_at = received_at - interval '11 minutes'
                        where delivery_id = 'long-ago' and project_id = (select p.id from projects p
                          join teams t on t.id = p.team_id where t.slug = :team)""").param("team", hook.team()).update();

        Answer again = hook.deliver(Forge.GITHUB, "push-branch.json", "push", "a-forge-redelivery-much-later");

        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.json().path("result").asString()).isEqualTo("BUILT");
        assertThat(hook.builds()).hasSize(2);
    }

    @Test
    void aGitLabEventHeaderThatDoesNotMatchTheRefIs400AndLoggedMalformed() {
        Hook hook = hook();

        Answer tagAsBranch = hook.deliver(Forge.GITLAB, "push-tag.json", "Push Hook", "gl-1");
        assertThat(tagAsBranch.status()).as(tagAsBranch.toString()).isEqualTo(400);
        assertThat(tagAsBranch.problemDetail()).contains("X-Gitlab-Event 'Push Hook' does not match the ref");

        Answer branchAsTag = hook.deliver(Forge.GITLAB, "push-branch.json", "Tag Push Hook", "gl-2");
        assertThat(branchAsTag.status()).as(branchAsTag.toString()).isEqualTo(400);
        assertThat(branchAsTag.problemDetail()).contains("'Tag Push Hook' is for tags, but branch 'main'");

        assertThat(hook.builds()).isEmpty();
        assertThat(hook.deliveries())
                .extracting(d -> d.path("result").asString())
                .containsExactly("MALFORMED", "MALFORMED");
    }

    @Test
    void aNulCharacterInASignedPayloadIs400NotA500() {
        Hook hook = hook();
        byte[] body = new String(WebhookFixtures.body(Forge.GITHUB, "push-branch.json"), StandardCharsets.UTF_8)
                .replace("refs/heads/main", "refs/heads/ma\\u0000in")
                .getBytes(StandardCharsets.UTF_8);

        Answer answer = hook.api()
                .post(
                        hook.path(Forge.GITHUB),
                        body,
                        WebhookIT.single(WebhookFixtures.headers(Forge.GITHUB, "push", "nul-1", body, hook.secret())));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains("'ref' contains a NUL character");
        assertThat(hook.builds()).isEmpty();
    }

    private Hook hook() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("replay");
        JsonNode project = farm.project(team, """
                {"slug": "hello-arch", "repository": "%s",
                 "platforms": ["linux/amd64"], "image": "127.0.0.1:5000/acme/hello-arch"}""".formatted(repo.url()));
        return new Hook(
                farm,
                new PortalApi(port),
                team,
                "hello-arch",
                project.path("webhookSecret").asString(),
                jdbc);
    }

    private static String pushEvent(Forge forge) {
        return forge == Forge.GITLAB ? "Push Hook" : "push";
    }
}
