package io.archfarm.portal.forge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.ForgeEvent.Other;
import io.archfarm.portal.forge.webhook.ForgeEvent.Push;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;

/** The rules every forge's deliveries share: headers the farm needs, JSON bodies, and what a push must carry. */
class ForgeEventsTest {

    private static final String SECRET = "webhook-secret";

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aBodyThatIsNotJsonIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, "ref=refs/heads/main"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the body is not JSON");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aBodyThatIsNotAJsonObjectIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, "[\"refs/heads/main\"]"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("the body is not a JSON object but ARRAY");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void anEmptyBodyIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, ""))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("the body is not a JSON object (it is empty)");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeliveryWithoutDeliveryIdIsMalformed(Forge forge) {
        byte[] body = pushBody("refs/heads/main", WebhookFixtures.BRANCH_COMMIT);
        HttpHeaders headers = WebhookFixtures.headers(forge, pushEvent(forge), "d-1", body, SECRET);
        for (String name : new String[] {
            "X-GitHub-Delivery", "Idempotency-Key", "X-Gitlab-Event-UUID", "X-Gitea-Delivery", "X-Forgejo-Delivery"
        }) {
            headers.remove(name);
        }
        String expected = switch (forge) {
            case GITHUB -> "X-GitHub-Delivery";
            case GITLAB -> "Idempotency-Key or X-Gitlab-Event-UUID";
            case GITEA -> "X-Gitea-Delivery";
            case FORGEJO -> "X-Forgejo-Delivery or X-Gitea-Delivery";
        };

        assertThatThrownBy(() -> ForgeEvents.parse(forge, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the delivery has no " + expected + " header");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeliveryWithoutEventHeaderIsMalformed(Forge forge) {
        byte[] body = pushBody("refs/heads/main", WebhookFixtures.BRANCH_COMMIT);
        HttpHeaders headers = WebhookFixtures.headers(forge, pushEvent(forge), "d-1", body, SECRET);
        for (String name : new String[] {"X-GitHub-Event", "X-Gitlab-Event", "X-Gitea-Event", "X-Forgejo-Event"}) {
            headers.remove(name);
        }

        assertThatThrownBy(() -> ForgeEvents.parse(forge, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("header: it names the event");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void anAbsurdlyLongDeliveryIdIsMalformed(Forge forge) {
        byte[] body = pushBody("refs/heads/main", WebhookFixtures.BRANCH_COMMIT);
        HttpHeaders headers = WebhookFixtures.headers(forge, pushEvent(forge), "d".repeat(201), body, SECRET);

        assertThatThrownBy(() -> ForgeEvents.parse(forge, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("is 201 characters long");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aPushWithoutRefIsMalformed(Forge forge) {
        String json = "{\"after\": \"%s\", \"checkout_sha\": \"%s\"}"
                .formatted(WebhookFixtures.BRANCH_COMMIT, WebhookFixtures.BRANCH_COMMIT);

        assertThatThrownBy(() -> parse(forge, json))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the push has no 'ref'");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aPushWithoutCommitIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, "{\"ref\": \"refs/heads/main\"}"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the push of refs/heads/main has no commit to build")
                .hasMessageEndingWith("must be 40 or 64 lowercase hex digits, got nothing");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aPushWhoseCommitIsNotACommitIdIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, pushJson("refs/heads/main", "HEAD~1")))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("got 'HEAD~1'");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aPushNamingNoBranchIsMalformed(Forge forge) {
        assertThatThrownBy(() -> parse(forge, pushJson("refs/heads/", WebhookFixtures.BRANCH_COMMIT)))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("the push's 'ref' 'refs/heads/' names no branch");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aPushToARefThatIsNeitherBranchNorTagIsAnotherEvent(Forge forge) {
        ForgeEvent event = parse(forge, pushJson("refs/notes/commits", WebhookFixtures.BRANCH_COMMIT));

        assertThat(event)
                .isInstanceOfSatisfying(
                        Other.class,
                        other -> assertThat(other.reason())
                                .isEqualTo("a push to 'refs/notes/commits', which is neither a branch nor a tag"));
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aSha256CommitIsBuilt(Forge forge) {
        String commit = "a".repeat(64);

        ForgeEvent event = parse(forge, pushJson("refs/heads/main", commit));

        assertThat(event)
                .isInstanceOfSatisfying(
                        Push.class, push -> assertThat(push.commit()).isEqualTo(commit));
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void theOtherBranchFixtureIsAPushToFeatureLogin(Forge forge) {
        byte[] body = WebhookFixtures.body(forge, "push-other-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(forge, pushEvent(forge), "d-7", body, SECRET);
        WebhookSignatures.verify(forge, headers, body, SECRET);

        assertThat(ForgeEvents.parse(forge, headers, body))
                .isEqualTo(new Push(
                        "d-7",
                        pushEvent(forge),
                        ForgeEvent.RefKind.BRANCH,
                        "feature/login",
                        WebhookFixtures.BRANCH_COMMIT,
                        false,
                        "jsmith"));
    }

    private static ForgeEvent parse(Forge forge, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ForgeEvents.parse(forge, WebhookFixtures.headers(forge, pushEvent(forge), "d-1", body, SECRET), body);
    }

    private static String pushEvent(Forge forge) {
        return forge == Forge.GITLAB ? "Push Hook" : "push";
    }

    /** A minimal push, with the commit both where GitHub and Gitea put it and where GitLab does. */
    private static String pushJson(String ref, String commit) {
        return "{\"ref\": \"%s\", \"after\": \"%s\", \"checkout_sha\": \"%s\"}".formatted(ref, commit, commit);
    }

    private static byte[] pushBody(String ref, String commit) {
        return pushJson(ref, commit).getBytes(StandardCharsets.UTF_8);
    }
}
