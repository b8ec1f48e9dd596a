package io.archfarm.portal.forge.webhook;

import io.archfarm.portal.forge.Forge;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * The headers in which each forge names its event, identifies its delivery and proves where the delivery came from.
 * Forgejo sends its own {@code X-Forgejo-*} headers and, for Gitea compatibility, the same values as {@code X-Gitea-*};
 * where a forge uses more than one name the preferred one comes first and is the only one read when present.
 */
record WebhookHeaders(List<String> event, List<String> delivery, List<String> proof) {

    /** Delivery ids are UUIDs or short hashes; anything longer is not one. */
    private static final int MAX_DELIVERY_ID_LENGTH = 200;

    static WebhookHeaders of(Forge forge) {
        return switch (forge) {
            case GITHUB ->
                new WebhookHeaders(
                        List.of("X-GitHub-Event"), List.of("X-GitHub-Delivery"), List.of("X-Hub-Signature-256"));
            case GITLAB ->
                new WebhookHeaders(
                        List.of("X-Gitlab-Event"),
                        List.of("Idempotency-Key", "X-Gitlab-Event-UUID"),
                        List.of("X-Gitlab-Token"));
            case GITEA ->
                new WebhookHeaders(List.of("X-Gitea-Event"), List.of("X-Gitea-Delivery"), List.of("X-Gitea-Signature"));
            case FORGEJO ->
                new WebhookHeaders(
                        List.of("X-Forgejo-Event", "X-Gitea-Event"),
                        List.of("X-Forgejo-Delivery", "X-Gitea-Delivery"),
                        List.of("X-Forgejo-Signature", "X-Gitea-Signature"));
        };
    }

    /** A header's value together with the name it came under, so that messages name the header actually read. */
    record Value(String name, String value) {}

    /** The first of {@code names} that the delivery carries with a non-blank value, stripped of spaces. */
    static Optional<Value> first(HttpHeaders headers, List<String> names) {
        for (String name : names) {
            String value = headers.getFirst(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(new Value(name, value.strip()));
            }
        }
        return Optional.empty();
    }

    String eventName(HttpHeaders headers) {
        return first(headers, event)
                .orElseThrow(() -> new MalformedWebhookException("the delivery has no " + described(event)
                        + " header: it names the event, as the forge sends it"))
                .value();
    }

    String deliveryId(HttpHeaders headers) {
        Value id = first(headers, delivery)
                .orElseThrow(() -> new MalformedWebhookException("the delivery has no " + described(delivery)
                        + " header: the farm needs the forge's delivery id to act on it only once"));
        if (id.value().length() > MAX_DELIVERY_ID_LENGTH) {
            throw new MalformedWebhookException(id.name() + " is " + id.value().length()
                    + " characters long; a delivery id has at most " + MAX_DELIVERY_ID_LENGTH);
        }
        return id.value();
    }

    /** {@code X-Forgejo-Delivery or X-Gitea-Delivery}. */
    static String described(List<String> names) {
        return String.join(" or ", names);
    }
}
