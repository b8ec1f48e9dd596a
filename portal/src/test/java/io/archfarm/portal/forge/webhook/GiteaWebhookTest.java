package io.archfarm.portal.forge.webhook;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.portal.forge.Forge;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Gitea deliveries: the shared Gitea-family cases, plus what only Gitea's headers decide. */
class GiteaWebhookTest extends GiteaFamilyWebhookTests {

    GiteaWebhookTest() {
        super(Forge.GITEA);
    }

    @Test
    void forgejosHeadersAloneAreNotAGiteaDelivery() {
        byte[] body = WebhookFixtures.body(Forge.FORGEJO, "push-branch.json");
        HttpHeaders headers = WebhookFixtures.headers(Forge.FORGEJO, "push", DELIVERY, body, SECRET);
        headers.remove("X-Gitea-Signature");

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.GITEA, headers, body, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("no X-Gitea-Signature header");
    }
}
