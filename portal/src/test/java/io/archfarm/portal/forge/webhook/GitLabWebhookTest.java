package io.archfarm.portal.forge.webhook;

import static io.archfarm.portal.forge.webhook.WebhookFixtures.BRANCH_COMMIT;
import static io.archfarm.portal.forge.webhook.WebhookFixtures.TAG_COMMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.ForgeEvent.Other;
import io.archfarm.portal.forge.webhook.ForgeEvent.Push;
import io.archfarm.portal.forge.webhook.ForgeEvent.RefKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** GitLab deliveries, from the fixtures shaped as GitLab's "Webhook events" page shows them. */
class GitLabWebhookTest {

    private static final Forge GITLAB = Forge.GITLAB;
    private static final String SECRET = "gl-webhook-secret";
    private static final String DELIVERY = "9f5b0a5e-6f1c-4b5e-a1c7-2d4b0c8e7f31";

    @Test
    void aPushHookWithTheRightTokenBuildsItsCheckoutSha() {
        assertThat(deliver("push-branch.json", "Push Hook"))
                .isEqualTo(new Push(DELIVERY, "Push Hook", RefKind.BRANCH, "main", BRANCH_COMMIT, false, "jsmith"));
    }

    @Test
    void aTagPushHookBuildsTheTaggedCommit() {
        assertThat(deliver("push-tag.json", "Tag Push Hook"))
                .isEqualTo(new Push(DELIVERY, "Tag Push Hook", RefKind.TAG, "v1.2.0", TAG_COMMIT, false, "jsmith"));
    }

    @Test
    void aDeletedBranchIsADeletionWithNothingToBuild() {
        assertThat(deliver("delete-branch.json", "Push Hook"))
                .isEqualTo(new Push(DELIVERY, "Push Hook", RefKind.BRANCH, "feature/login", null, true, "jsmith"));
    }

    @Test
    void aMergeRequestHookStartsNothing() {
        ForgeEvent event = parse("{\"object_kind\": \"merge_request\"}", "Merge Request Hook");

        assertThat(event)
                .isEqualTo(
                        new Other(
                                DELIVERY,
                                "Merge Request Hook",
                                "GitLab's 'Merge Request Hook' starts nothing: builds start on 'Push Hook' and 'Tag Push Hook'"));
    }

    @Test
    void theCommitToBuildIsCheckoutShaNotAfter() {
        String json = "{\"ref\": \"refs/heads/main\", \"after\": \"%s\"}".formatted(BRANCH_COMMIT);

        assertThatThrownBy(() -> parse(json, "Push Hook"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("'checkout_sha' must be 40 or 64 lowercase hex digits, got nothing");
    }

    @Test
    void theIdempotencyKeyIsTheDeliveryIdWhenPresent() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", DELIVERY, body, SECRET);
        headers.set("X-Gitlab-Event-UUID", "another-uuid-per-attempt");

        assertThat(ForgeEvents.parse(GITLAB, headers, body).deliveryId()).isEqualTo(DELIVERY);
    }

    @Test
    void theEventUuidIsTheDeliveryIdWithoutIdempotencyKey() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", "ignored", body, SECRET);
        headers.remove("Idempotency-Key");
        headers.set("X-Gitlab-Event-UUID", DELIVERY);

        assertThat(ForgeEvents.parse(GITLAB, headers, body).deliveryId()).isEqualTo(DELIVERY);
    }

    @Test
    void theRightTokenVerifies() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", DELIVERY, body, SECRET);

        assertThatCode(() -> WebhookSignatures.verify(GITLAB, headers, body, SECRET))
                .doesNotThrowAnyException();
    }

    @Test
    void aWrongTokenIsRejected() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", DELIVERY, body, "guessed");

        assertThatThrownBy(() -> WebhookSignatures.verify(GITLAB, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("X-Gitlab-Token does not match")
                .hasMessageNotContaining("guessed")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aMissingTokenIsRejected() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", DELIVERY, body, SECRET);
        headers.remove("X-Gitlab-Token");

        assertThatThrownBy(() -> WebhookSignatures.verify(GITLAB, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("no X-Gitlab-Token header");
    }

    @Test
    void aPushHookOfATagAndATagPushHookOfABranchAreMalformed() {
        assertThatThrownBy(() -> deliver("push-tag.json", "Push Hook"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("X-Gitlab-Event 'Push Hook' does not match the ref: 'Push Hook' is for branches, but tag "
                        + "'v1.2.0' was pushed (GitLab sends tags as 'Tag Push Hook')");
        assertThatThrownBy(() -> deliver("push-branch.json", "Tag Push Hook"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("X-Gitlab-Event 'Tag Push Hook' does not match the ref: 'Tag Push Hook' is for tags, but "
                        + "branch 'main' was pushed");
    }

    @Test
    void aNulCharacterInTheRefIsMalformed() {
        assertThatThrownBy(() -> parse(
                        "{\"ref\": \"refs/heads/ma\\u0000in\", \"checkout_sha\": \"%s\"}".formatted(BRANCH_COMMIT),
                        "Push Hook"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("the payload's 'ref' contains a NUL character (\\u0000)");
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        assertThatThrownBy(() -> parse("object_kind=push", "Push Hook"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the body is not JSON");
    }

    @Test
    void aPushWithoutDeliveryIdIsMalformed() {
        byte[] body = WebhookFixtures.body(GITLAB, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, "Push Hook", DELIVERY, body, SECRET);
        headers.remove("Idempotency-Key");
        headers.remove("X-Gitlab-Event-UUID");

        assertThatThrownBy(() -> ForgeEvents.parse(GITLAB, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the delivery has no Idempotency-Key or X-Gitlab-Event-UUID header");
    }

    private static ForgeEvent deliver(String fixture, String event) {
        byte[] body = WebhookFixtures.body(GITLAB, fixture);
        HttpHeaders headers = WebhookFixtures.headers(GITLAB, event, DELIVERY, body, SECRET);
        WebhookSignatures.verify(GITLAB, headers, body, SECRET);
        return ForgeEvents.parse(GITLAB, headers, body);
    }

    private static ForgeEvent parse(String json, String event) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ForgeEvents.parse(GITLAB, WebhookFixtures.headers(GITLAB, event, DELIVERY, body, SECRET), body);
    }
}
