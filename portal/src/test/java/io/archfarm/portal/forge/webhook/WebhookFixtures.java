package io.archfarm.portal.forge.webhook;

import io.archfarm.portal.forge.Forge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Deliveries as the forges send them: the bodies under {@code src/test/resources/webhooks/<forge>/} and the headers
 * that go with them, signed with a given secret. Public so that HTTP-level tests can post the same deliveries.
 */
public final class WebhookFixtures {

    /** The commit the branch-push fixtures ask to build. */
    public static final String BRANCH_COMMIT = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    /** The commit the tag-push fixtures ask to build. */
    public static final String TAG_COMMIT = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    private WebhookFixtures() {}

    /** The bytes of {@code webhooks/<forge>/<file>} on the test class path, e.g. {@code body(GITHUB, "ping.json")}. */
    public static byte[] body(Forge forge, String file) {
        String resource = "/webhooks/" + forge.wireName() + "/" + file;
        try (InputStream in = WebhookFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The headers {@code forge} sends with {@code body}: content type, event, delivery id, and the signature (or, for
     * GitLab, the token) made with {@code secret}. Forgejo's deliveries carry both the Forgejo and the Gitea names.
     */
    public static HttpHeaders headers(Forge forge, String event, String deliveryId, byte[] body, String secret) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        switch (forge) {
            case GITHUB -> {
                headers.set("X-GitHub-Event", event);
                headers.set("X-GitHub-Delivery", deliveryId);
                headers.set("X-GitHub-Hook-ID", "471230985");
                headers.set("X-Hub-Signature-256", WebhookSignatures.githubSignature(secret, body));
            }
            case GITLAB -> {
                headers.set("X-Gitlab-Event", event);
                headers.set("X-Gitlab-Event-UUID", deliveryId);
                headers.set("Idempotency-Key", deliveryId);
                headers.set("X-Gitlab-Instance", "https://gitlab.example.com");
                headers.set("X-Gitlab-Token", secret);
            }
            case GITEA -> giteaHeaders(headers, event, deliveryId, WebhookSignatures.hexHmacSha256(secret, body));
            case FORGEJO -> {
                String signature = WebhookSignatures.hexHmacSha256(secret, body);
                headers.set("X-Forgejo-Event", event);
                headers.set("X-Forgejo-Delivery", deliveryId);
                headers.set("X-Forgejo-Signature", signature);
                giteaHeaders(headers, event, deliveryId, signature);
            }
        }
        return headers;
    }

    private static void giteaHeaders(HttpHeaders headers, String event, String deliveryId, String signature) {
        headers.set("X-Gitea-Event", event);
        headers.set("X-Gitea-Delivery", deliveryId);
        headers.set("X-Gitea-Signature", signature);
        headers.set("X-GitHub-Event", event);
        headers.set("X-GitHub-Delivery", deliveryId);
        headers.set("X-Gogs-Event", event);
        headers.set("X-Gogs-Delivery", deliveryId);
    }
}
