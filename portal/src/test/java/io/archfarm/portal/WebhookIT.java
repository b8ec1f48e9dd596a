package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Each forge's deliveries, shaped and signed exactly as that forge sends them, through the real HTTP endpoint: which
 * builds exist afterwards, what the forge is answered and what the delivery log says.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"archfarm.git.allow-file-urls=true", "archfarm.portal.max-rejected-deliveries-per-minute=3"})
@Import(ArchfarmTestServices.class)
class WebhookIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    private static final String MAIN = WebhookFixtures.BRANCH_COMMIT;
    private static final String TAG = WebhookFixtures.TAG_COMMIT;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aBranchPushBuildsThePushedCommitOnceAndARedeliveryStartsNothing(Forge forge) {
        Hook hook = hook(forge);

        Answer push = hook.deliver(forge, "push-branch.json", pushEvent(forge), "d-1");
        assertThat(push.status()).as(push.toString()).isEqualTo(202);
        assertThat(push.json().path("result").asString()).isEqualTo("BUILT");
        String build = push.json().path("build").asString();
        assertThat(push.json().path("buildUrl").asString()).endsWith("/builds/" + build);

        List<Map<String, Object>> builds = hook.builds();
        assertThat(builds).hasSize(1);
        assertThat(builds.getFirst())
                .containsEntry("commit_sha", MAIN)
                .containsEntry("ref", "main")
                .containsEntry("trigger", "WEBHOOK")
                .containsEntry("build_number", 1L)
                .containsEntry("tags", "[\"main\", \"sha-0d1a26e\", \"latest\"]")
                .as("a push builds with the project's cache")
                .containsEntry("layer_cache", true)
                .containsEntry("no_cache", false);
        assertThat((String) builds.getFirst().get("requested_by")).isEqualTo("jsmith@" + forge.wireName());
        assertThat(jdbc.sql("select count(*) from outbox where payload::text like :id")
                        .param("id", "%" + build + "%")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        Answer again = hook.deliver(forge, "push-branch.json", pushEvent(forge), "d-1");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(again.json().path("build").asString()).isEqualTo(build);
        assertThat(hook.builds()).hasSize(1);

        JsonNode log = hook.deliveries();
        assertThat(log.get(0).path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(log.get(1).path("result").asString()).isEqualTo("BUILT");
        assertThat(log.get(1).path("build").asString()).isEqualTo(build);
        assertThat(log.get(1).path("deliveryId").asString()).isEqualTo("d-1");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aTagPushBuildsTheTagWithItsTemplatedTags(Forge forge) {
        Hook hook = hook(forge);

        Answer push =
                hook.deliver(forge, "push-tag.json", forge == Forge.GITLAB ? "Tag Push Hook" : pushEvent(forge), "t-1");

        assertThat(push.status()).as(push.toString()).isEqualTo(202);
        assertThat(hook.builds())
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .containsEntry("commit_sha", TAG)
                        .containsEntry("ref", "v1.2.0")
                        .containsEntry("tags", "[\"v1.2.0\", \"sha-6113728\"]"));
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aWrongOrMissingSignatureIsRefusedAndStartsNothing(Forge forge) {
        Hook hook = hook(forge);
        byte[] body = WebhookFixtures.body(forge, "push-branch.json");

        Map<String, String> forged =
                single(WebhookFixtures.headers(forge, pushEvent(forge), "w-1", body, "not-the-secret"));
        Answer wrong = hook.api().post(hook.path(forge), body, forged);
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        assertThat(wrong.problemDetail()).isNotBlank().doesNotContain(hook.secret());

        Map<String, String> unsigned = single(WebhookFixtures.headers(forge, pushEvent(forge), "w-2", body, "x"));
        unsigned.keySet()
                .removeIf(name -> name.toLowerCase().contains("signature") || name.equalsIgnoreCase("X-Gitlab-Token"));
        Answer missing = hook.api().post(hook.path(forge), body, unsigned);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(401);

        assertThat(hook.builds()).isEmpty();
        assertThat(hook.deliveries())
                .extracting(d -> d.path("result").asString())
                .containsExactly("REJECTED", "REJECTED");
    }

    @Test
    void aFloodOfForgedDeliveriesIsRefusedButLogsOnlyAFewAndRealOnesStillBuild() {
        Hook hook = hook(Forge.GITHUB);
        byte[] body = WebhookFixtures.body(Forge.GITHUB, "push-branch.json");

        for (int i = 0; i < 6; i++) {
            Answer forged = hook.api()
                    .post(
                            hook.path(Forge.GITHUB),
                            body,
                            single(WebhookFixtures.headers(
                                    Forge.GITHUB, "push", "flood-" + i, body, "guessed-secret")));
            assertThat(forged.status()).isEqualTo(401);
        }
        assertThat(hook.deliveries())
                .as("the log takes 3 rejected deliveries a minute here")
                .hasSize(3);

        assertThat(hook.deliver(Forge.GITHUB, "push-branch.json", "push", "real-1")
                        .status())
                .isEqualTo(202);
        assertThat(hook.builds()).hasSize(1);
        assertThat(hook.deliveries().get(0).path("result").asString()).isEqualTo("BUILT");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeletionAndABranchOutsideTheFiltersStartNothing(Forge forge) {
        Hook hook = hook(forge);

        Answer deletion = hook.deliver(
                forge,
                "delete-branch.json",
                forge == Forge.GITEA || forge == Forge.FORGEJO ? "delete" : pushEvent(forge),
                "x-1");
        Answer other = hook.deliver(forge, "push-other-branch.json", pushEvent(forge), "x-2");

        assertThat(deletion.status()).as(deletion.toString()).isEqualTo(202);
        assertThat(deletion.json().path("result").asString()).isEqualTo("IGNORED");
        assertThat(other.status()).as(other.toString()).isEqualTo(202);
        assertThat(other.json().path("detail").asString())
                .contains("feature/login")
                .contains("branchFilters");
        assertThat(hook.builds()).isEmpty();
    }

    @Test
    void aGitHubPingIsAnsweredAndOtherEventsAreLoggedButIgnored() {
        Hook hook = hook(Forge.GITHUB);

        Answer ping = hook.deliver(Forge.GITHUB, "ping.json", "ping", "p-1");
        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ping.json().path("result").asString()).isEqualTo("PING");

        Answer issues = hook.deliver(Forge.GITHUB, "ping.json", "issues", "p-2");
        assertThat(issues.status()).as(issues.toString()).isEqualTo(202);
        assertThat(issues.json().path("result").asString()).isEqualTo("IGNORED");
        assertThat(hook.builds()).isEmpty();
        assertThat(hook.deliveries())
                .extracting(d -> d.path("event").asString())
                .containsExactly("issues", "ping");
    }

    @Test
    void anUnknownProjectIs404AndAMalformedBodyIs400() {
        Hook hook = hook(Forge.GITHUB);
        byte[] notJson = "this is not json".getBytes();

        Answer unknown = hook.api()
                .post(
                        "/hooks/" + hook.team() + "/nope/github",
                        notJson,
                        single(WebhookFixtures.headers(Forge.GITHUB, "push", "m-1", notJson, hook.secret())));
        assertThat(unknown.status()).isEqualTo(404);
        Answer unknownForge =
                hook.api().post("/hooks/" + hook.team() + "/" + hook.project() + "/bitbucket", notJson, Map.of());
        assertThat(unknownForge.status()).isEqualTo(404);

        Answer malformed = hook.api()
                .post(
                        hook.path(Forge.GITHUB),
                        notJson,
                        single(WebhookFixtures.headers(Forge.GITHUB, "push", "m-2", notJson, hook.secret())));
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(hook.builds()).isEmpty();
        assertThat(hook.deliveries())
                .extracting(d -> d.path("result").asString())
                .containsExactly("MALFORMED");
    }

    @Test
    void aRotatedSecretReplacesTheOldOne() {
        Hook hook = hook(Forge.GITEA);
        String fresh = hook.farm()
                .admin()
                .post("/api/v1/projects/" + hook.team() + "/" + hook.project() + "/webhook-secret", "")
                .json()
                .path("secret")
                .asString();
        assertThat(fresh).isNotEqualTo(hook.secret()).hasSize(64);

        assertThat(hook.deliver(Forge.GITEA, "push-branch.json", "push", "r-1").status())
                .isEqualTo(401);
        Hook rotated = new Hook(hook.farm(), hook.api(), hook.team(), hook.project(), fresh, jdbc);
        assertThat(rotated.deliver(Forge.GITEA, "push-branch.json", "push", "r-2")
                        .status())
                .isEqualTo(202);
        assertThat(jdbc.sql("select p.webhook_secret from projects p join teams t on t.id = p.team_id "
                                + "where t.slug = :team")
                        .param("team", hook.team())
                        .query(String.class)
                        .single())
                .as("stored sealed, never in plain text")
                .startsWith("v1:")
                .doesNotContain(fresh);
    }

    // --- helpers ---

    private Hook hook(Forge forge) {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("hooks");
        JsonNode project = farm.project(team, """
                {"slug": "hello-arch", "repository": "%s",
                 "platforms": ["linux/amd64", "linux/arm64"], "image": "127.0.0.1:5000/acme/hello-arch"}""".formatted(repo.url()));
        assertThat(project.path("webhooks").path(forge.wireName()).asString())
                .endsWith("/hooks/" + team + "/hello-arch/" + forge.wireName());
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

    static Map<String, String> single(HttpHeaders headers) {
        return headers.toSingleValueMap().entrySet().stream()
                .filter(e -> !e.getKey().equalsIgnoreCase("Content-Type"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** One project's webhook, as a forge and as the project's maintainers see it. */
    record Hook(FarmAccounts farm, PortalApi api, String team, String project, String secret, JdbcClient jdbc) {

        String path(Forge forge) {
            return "/hooks/" + team + "/" + project + "/" + forge.wireName();
        }

        Answer deliver(Forge forge, String fixture, String event, String deliveryId) {
            byte[] body = WebhookFixtures.body(forge, fixture);
            return api.post(path(forge), body, single(WebhookFixtures.headers(forge, event, deliveryId, body, secret)));
        }

        List<Map<String, Object>> builds() {
            return jdbc.sql("""
                            select b.commit_sha, b.ref, b.trigger, b.build_number, b.tags::text as tags, b.requested_by,
                                   b.layer_cache, b.no_cache
                            from builds b join projects p on p.id = b.project_id join teams t on t.id = p.team_id
                            where t.slug = :team order by b.created_at""").param("team", team).query().listOfRows();
        }

        JsonNode deliveries() {
            return farm.admin()
                    .get("/api/v1/projects/" + team + "/" + project + "/deliveries")
                    .json();
        }
    }

    static UUID uuid(String value) {
        return UUID.fromString(value);
    }
}
