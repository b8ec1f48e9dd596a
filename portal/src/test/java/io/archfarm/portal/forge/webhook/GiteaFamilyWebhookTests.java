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

/**
 * What Gitea and Forgejo deliveries have in common (Forgejo is a Gitea fork and sends the same payloads), run once
 * per forge by its subclass, from fixtures shaped as each forge's webhook documentation shows them.
 */
abstract class GiteaFamilyWebhookTests {

    static final String SECRET = "gitea-family-secret";
    static final String DELIVERY = "f6266f16-1bf3-46a5-9ea4-602e06ead473";

    private final Forge forge;

    GiteaFamilyWebhookTests(Forge forge) {
        this.forge = forge;
    }

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
    void aDeletedBranchArrivesAsADeleteEventThatStartsNothing() {
        assertThat(deliver("delete-branch.json", "delete"))
                .isEqualTo(new Other(
                        DELIVERY, "delete", "the branch 'feature/login' was deleted: a deletion starts nothing"));
    }

    @Test
    void aDeletedTagArrivesAsAPushWithAZeroAfter() {
        assertThat(deliver("delete-tag.json", "push"))
                .isEqualTo(new Push(DELIVERY, "push", RefKind.TAG, "v1.2.0", null, true, "jsmith"));
    }

    @Test
    void aCreateEventLeavesTheBuildToItsPush() {
        ForgeEvent event = parse(
                "{\"ref\": \"feature/login\", \"ref_type\": \"branch\", \"sha\": \"%s\"}".formatted(BRANCH_COMMIT),
                "create");

        assertThat(event)
                .isInstanceOfSatisfying(
                        Other.class,
                        other -> assertThat(other.reason()).endsWith("the 'push' event sent with it starts the build"));
    }

    @Test
    void anIssuesEventStartsNothing() {
        assertThat(parse("{\"action\": \"opened\"}", "issues"))
                .isInstanceOfSatisfying(
                        Other.class,
                        other -> assertThat(other.reason())
                                .endsWith("'issues' event starts nothing: builds start on 'push'"));
    }

    @Test
    void thePushersUsernameStandsInForAMissingLogin() {
        String json = "{\"ref\": \"refs/heads/main\", \"after\": \"%s\", \"pusher\": {\"username\": \"ci-bot\"}}"
                .formatted(BRANCH_COMMIT);

        assertThat(parse(json, "push"))
                .isInstanceOfSatisfying(
                        Push.class, push -> assertThat(push.pusher()).isEqualTo("ci-bot"));
    }

    @Test
    void aPushSignedAsTheForgeSignsItVerifies() {
        byte[] body = WebhookFixtures.body(forge, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", DELIVERY, body, SECRET);

        assertThatCode(() -> WebhookSignatures.verify(forge, headers, body, SECRET))
                .doesNotThrowAnyException();
    }

    @Test
    void aPushSignedWithAnotherSecretIsRejected() {
        byte[] body = WebhookFixtures.body(forge, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", DELIVERY, body, "old-secret");

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("does not match the body signed with the project's webhook secret");
    }

    @Test
    void aPushWithoutSignatureIsRejected() {
        byte[] body = WebhookFixtures.body(forge, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", DELIVERY, body, SECRET);
        headers.remove("X-Gitea-Signature");
        headers.remove("X-Forgejo-Signature");

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("X-Gitea-Signature header");
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        assertThatThrownBy(() -> parse("<push/>", "push"))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("the body is not JSON");
    }

    @Test
    void aPushWithoutDeliveryIdIsMalformed() {
        byte[] body = WebhookFixtures.body(forge, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", DELIVERY, body, SECRET);
        headers.remove("X-Gitea-Delivery");
        headers.remove("X-Forgejo-Delivery");

        assertThatThrownBy(() -> ForgeEvents.parse(forge, headers, body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessageContaining("X-Gitea-Delivery header");
    }

    ForgeEvent deliver(String fixture, String event) {
        byte[] body = WebhookFixtures.body(forge, fixture);
        HttpHeaders headers = WebhookFixtures.headers(forge, event, DELIVERY, body, SECRET);
        WebhookSignatures.verify(forge, headers, body, SECRET);
        return ForgeEvents.parse(forge, headers, body);
    }

    ForgeEvent parse(String json, String event) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ForgeEvents.parse(forge, WebhookFixtures.headers(forge, event, DELIVERY, body, SECRET), body);
    }
}
