package io.archfarm.portal.forge.webhook;

import static io.archfarm.portal.forge.webhook.WebhookFixtures.BRANCH_COMMIT;
import static io.archfarm.portal.forge.webhook.WebhookFixtures.TAG_COMMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.ForgeEvent.Other;
import io.archfarm.portal.forge.webhook.ForgeEvent.Ping;
import io.archfarm.portal.forge.webhook.ForgeEvent.Push;
import io.archfarm.portal.forge.webhook.ForgeEvent.RefKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** GitHub deliveries, from the fixtures shaped as GitHub's "Webhook events and payloads" shows them. */
class GitHubWebhookTest {

    private static final Forge GITHUB = Forge.GITHUB;
    private static final String SECRET = "gh-webhook-secret";
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    @Test
    void aSignedPushToMainBuildsItsAfterCommit() {
        assertThat(deliver("push-branch.json", "push"))
                .isEqualTo(new Push(DELIVERY, "push", RefKind.BRANCH, "main", BRANCH_COMMIT, false, "jsmith"));
    }

    @Test
    void aTagPushBuildsTheTaggedCommit() {
        assertThat(deliver("push-tag.json", "push"))
                .isEqualTo(new Push(DELIVERY, "push", RefKind.TAG, "v1.2.0", TAG_COMMIT, false, "jsmith"));
    }

    @Test
    void aDeletedBranchIsADeletionWithNothingToBuild() {
        assertThat(deliver("delete-branch.json", "push"))
                .isEqualTo(new Push(DELIVERY, "push", RefKind.BRANCH, "feature/login", null, true, "jsmith"));
    }

    @Test
    void deletedTrueIsADeletionEvenWithoutAZeroAfter() {
        String json = "{\"ref\": \"refs/heads/old\", \"after\": \"\", \"deleted\": true}";

        assertThat(parse(json, "push")).isInstanceOfSatisfying(Push.class, push -> {
            assertThat(push.deletion()).isTrue();
            assertThat(push.commit()).isNull();
        });
    }

    @Test
    void aPingIsAPing() {
        assertThat(deliver("ping.json", "ping")).isEqualTo(new Ping(DELIVERY, "ping"));
    }

    @Test
    void anIssuesEventStartsNothing() {
        ForgeEvent event = parse("{\"action\": \"opened\", \"issue\": {\"number\": 3}}", "issues");

        assertThat(event)
                .isEqualTo(new Other(
                        DELIVERY, "issues", "GitHub's 'issues' event starts nothing: builds start on 'push'"));
    }

    @Test
    void aPushWithoutPusherHasNone() {
        String json = "{\"ref\": \"refs/heads/main\", \"after\": \"%s\"}".formatted(BRANCH_COMMIT);

        assertThat(parse(json, "push"))
                .isInstanceOfSatisfying(
                        Push.class, push -> assertThat(push.pusher()).isNull());
    }

    @Test
    void aSignedButMalformedBodyIsMalformed() {
        byte[] body = "{\"ref\": ".getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = WebhookFixtures.headers(GITHUB, "push", DELIVERY, body, SECRET);
        WebhookSignatures.verify(GITHUB, headers, body, SECRET);

        assertThatThrownBy(() -> ForgeEvents.parse(GITHUB, headers, body))
                .isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void aPushSignedWithAnotherSecretIsRejectedBeforeItIsRead() {
        byte[] body = WebhookFixtures.body(GITHUB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITHUB, "push", DELIVERY, body, "old-secret");

        assertThatThrownBy(() -> WebhookSignatures.verify(GITHUB, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("X-Hub-Signature-256 does not match");
    }

    @Test
    void aPushWithoutSignatureIsRejected() {
        byte[] body = WebhookFixtures.body(GITHUB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITHUB, "push", DELIVERY, body, SECRET);
        headers.remove("X-Hub-Signature-256");

        assertThatThrownBy(() -> WebhookSignatures.verify(GITHUB, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("no X-Hub-Signature-256 header");
    }

    @Test
    void aPushWithoutDeliveryIdIsMalformed() {
        byte[] body = WebhookFixtures.body(GITHUB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITHUB, "push", DELIVERY, body, SECRET);
        headers.remove("X-GitHub-Delivery");

        assertThatThrownBy(() -> ForgeEvents.parse(GITHUB, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the delivery has no X-GitHub-Delivery header");
    }

    private static ForgeEvent deliver(String fixture, String event) {
        byte[] body = WebhookFixtures.body(GITHUB, fixture);
        HttpHeaders headers = WebhookFixtures.headers(GITHUB, event, DELIVERY, body, SECRET);
        WebhookSignatures.verify(GITHUB, headers, body, SECRET);
        return ForgeEvents.parse(GITHUB, headers, body);
    }

    private static ForgeEvent parse(String json, String event) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ForgeEvents.parse(GITHUB, WebhookFixtures.headers(GITHUB, event, DELIVERY, body, SECRET), body);
    }
}
