package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A git push builds itself: a team's project for a repository on the farm's git daemon, a new commit pushed to it,
 * and the signed push webhook GitHub would send for that commit. The build runs for exactly the pushed commit on a
 * native and an emulated worker and publishes the project's templated tags; the delivery is done once only, and a
 * wrongly signed one is refused.
 */
class WebhookPushE2ETest {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);
    private static final String TEAM = "platform";
    private static final String PROJECT = "pushed";
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
    private static final Map<String, String> UNAME = Map.of("linux/amd64", "x86_64", "linux/arm64", "aarch64");

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "webhook-push",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64", 1)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aSignedGitHubPushBuildsThePushedCommitOnceAndPublishesTheTemplatedTags() {
        String repository = farm.git()
                .createRepository(PROJECT, Map.of("Containerfile", farm.fromBaseImage() + "RUN uname -m > /arch\n"));
        String before = farm.git().head(PROJECT);
        farm.portal().created("/api/v1/teams", Map.of("slug", TEAM, "name", "Platform"));
        JsonNode project = farm.portal().created("/api/v1/teams/" + TEAM + "/projects", project(repository));
        String webhookUrl = project.path("webhooks").path("github").asString();
        assertThat(webhookUrl).isEqualTo(farm.portal().baseUrl() + "/hooks/" + TEAM + "/" + PROJECT + "/github");
        GitHubWebhook github =
                new GitHubWebhook(webhookUrl, project.path("webhookSecret").asString());

        String pushed = farm.git()
                .pushCommit(
                        PROJECT,
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage() + "RUN uname -m > /arch\nRUN echo pushed > /version\n"),
                        "Say which version");
        assertThat(pushed).as("a new commit").isNotEqualTo(before).matches("[0-9a-f]{40}");
        byte[] push = GitHubWebhook.push("main", before, pushed, "Say which version");
        String deliveryId = UUID.randomUUID().toString();

        PortalClient.Answer delivered = github.deliverPush(deliveryId, push);

        assertThat(delivered.status()).as(delivered.body()).isEqualTo(202);
        assertThat(delivered.json().path("result").asString()).isEqualTo("BUILT");
        String id = delivered.json().path("build").asString();
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIMEOUT);
        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        assertThat(build.path("commit").asString()).isEqualTo(pushed);
        assertThat(build.path("team").asString()).isEqualTo(TEAM);
        assertThat(build.path("project").asString()).isEqualTo(PROJECT);
        assertThat(build.path("trigger").asString()).isEqualTo("WEBHOOK");
        assertThat(build.path("number").asLong()).isEqualTo(1);
        assertThat(BuildAwait.platform(build, "linux/amd64").path("mode").asString())
                .isEqualTo("NATIVE");
        assertThat(BuildAwait.platform(build, "linux/arm64").path("mode").asString())
                .isEqualTo("EMULATED");

        List<String> tags = List.of("main", "sha-" + pushed.substring(0, 7), "build-1");
        JsonNode manifestList = build.path("manifestList");
        assertThat(manifestList
                        .path("tags")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(tags);
        assertPublished(tags, manifestList.path("digest").asString());

        assertRedeliveryStartsNothing(github, deliveryId, push, id);
        assertWrongSignatureIsRefused(github, push);
        assertThat(farm.portal().get("/api/v1/projects/" + TEAM + "/" + PROJECT + "/builds"))
                .as("the project's builds")
                .extracting(b -> b.path("id").asString())
                .containsExactly(id);
    }

    /** Each tag is the one OCI index of both platforms, whose images hold the pushed commit's files. */
    private static void assertPublished(List<String> tags, String indexDigest) {
        RegistryClient registry = farm.registryClient();
        String repository = "e2e/" + PROJECT;
        assertThat(registry.tags(repository)).containsExactlyInAnyOrderElementsOf(tags);
        for (String tag : tags) {
            RegistryClient.Manifest index = registry.manifest(repository, tag);
            assertThat(index.mediaType()).as(tag).isEqualTo(RegistryClient.OCI_INDEX);
            assertThat(index.digest()).as(tag).isEqualTo(index.computedDigest()).isEqualTo(indexDigest);
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (JsonNode entry :
                registry.manifest(repository, tags.getFirst()).json().path("manifests")) {
            JsonNode platform = entry.path("platform");
            images.put(
                    platform.path("os").asString() + "/"
                            + platform.path("architecture").asString(),
                    entry.path("digest").asString());
        }
        assertThat(images).containsOnlyKeys(PLATFORMS);
        images.forEach((platform, digest) -> {
            assertThat(registry.readFile(repository, digest, "/arch"))
                    .as(platform)
                    .hasValue(UNAME.get(platform) + "\n");
            assertThat(registry.readFile(repository, digest, "/version"))
                    .as(platform)
                    .hasValue("pushed\n");
        });
    }

    private static void assertRedeliveryStartsNothing(
            GitHubWebhook github, String deliveryId, byte[] push, String firstBuild) {
        PortalClient.Answer again = github.deliverPush(deliveryId, push);

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("result").asString()).isEqualTo("DUPLICATE");
        assertThat(again.json().path("build").asString()).isEqualTo(firstBuild);
    }

    private static void assertWrongSignatureIsRefused(GitHubWebhook github, byte[] push) {
        PortalClient.Answer forged = github.deliverPushSignedWith(
                "not-the-webhook-secret", UUID.randomUUID().toString(), push);

        assertThat(forged.status()).as(forged.body()).isEqualTo(401);
        assertThat(forged.contentType()).startsWith("application/problem+json");
    }

    private static Map<String, Object> project(String repository) {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("slug", PROJECT);
        project.put("repository", repository);
        project.put("defaultBranch", "main");
        project.put("containerfile", "Containerfile");
        project.put("context", ".");
        project.put("platforms", PLATFORMS);
        project.put("placement", "native-preferred");
        project.put("image", farm.registry() + "/e2e/" + PROJECT);
        project.put("tagTemplates", List.of("{branch}", "sha-{sha:7}", "build-{build}"));
        project.put("branchFilters", List.of("main"));
        project.put("tagFilters", List.of("v*"));
        project.put("buildArgs", Map.of());
        project.put("publish", "all");
        return project;
    }
}
