package io.archfarm.portal.forge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.ForgeEvent.Other;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Forgejo deliveries: the shared Gitea-family cases, plus Forgejo's own header names taking precedence. */
class ForgejoWebhookTest extends GiteaFamilyWebhookTests {

    ForgejoWebhookTest() {
        super(Forge.FORGEJO);
    }

    @Test
    void forgejosOwnEventAndDeliveryHeadersArePreferred() {
        byte[] body = WebhookFixtures.body(Forge.FORGEJO, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(Forge.FORGEJO, "push", DELIVERY, body, SECRET);
        headers.set("X-Gitea-Event", "issues");
        headers.set("X-Gitea-Delivery", "gitea-id");

        ForgeEvent event = ForgeEvents.parse(Forge.FORGEJO, headers, body);

        assertThat(event.event()).isEqualTo("push");
        assertThat(event.deliveryId()).isEqualTo(DELIVERY);
    }

    @Test
    void theGiteaHeadersAloneAreEnough() {
        byte[] body = WebhookFixtures.body(Forge.FORGEJO, "delete-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(Forge.FORGEJO, "delete", DELIVERY, body, SECRET);
        headers.remove("X-Forgejo-Event");
        headers.remove("X-Forgejo-Delivery");
        headers.remove("X-Forgejo-Signature");
        WebhookSignatures.verify(Forge.FORGEJO, headers, body, SECRET);

        assertThat(ForgeEvents.parse(Forge.FORGEJO, headers, body))
                .isInstanceOf(Other.class)
                .extracting(ForgeEvent::deliveryId)
                .isEqualTo(DELIVERY);
    }
}
