package io.archfarm.portal.forge.webhook;

import io.archfarm.portal.forge.Forge;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Turns an authentic delivery into the {@link ForgeEvent} it stands for. Call it only after
 * {@link WebhookSignatures#verify} has accepted the delivery: nothing here checks where it came from.
 */
public final class ForgeEvents {

    private ForgeEvents() {}

    /**
     * The delivery id the headers claim, unchecked and cut at 200 characters: for logging a delivery that is refused
     * before it could be parsed.
     */
    public static Optional<String> claimedDeliveryId(Forge forge, HttpHeaders headers) {
        return WebhookHeaders.first(headers, WebhookHeaders.of(forge).delivery())
                .map(v -> v.value().length() > 200 ? v.value().substring(0, 200) : v.value());
    }

    /** The event name the headers claim, unchecked and cut at 100 characters, for the same purpose. */
    public static Optional<String> claimedEvent(Forge forge, HttpHeaders headers) {
        return WebhookHeaders.first(headers, WebhookHeaders.of(forge).event())
                .map(v -> v.value().length() > 100 ? v.value().substring(0, 100) : v.value());
    }

    /**
     * Parses a delivery from {@code forge}: its event and delivery id from the headers, the rest from the body.
     *
     * @throws MalformedWebhookException naming what is wrong: a missing event or delivery id header, a body that is
     *         not a JSON object, a push without a ref, or a push that deletes nothing without a well-formed commit
     */
    public static ForgeEvent parse(Forge forge, HttpHeaders headers, byte[] body) {
        Objects.requireNonNull(forge, "forge");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        WebhookHeaders names = WebhookHeaders.of(forge);
        String event = names.eventName(headers);
        String deliveryId = names.deliveryId(headers);
        JsonNode payload = WebhookPayloads.object(body);
        return switch (forge) {
            case GITHUB -> GitHubEvents.parse(deliveryId, event, payload);
            case GITLAB -> GitLabEvents.parse(deliveryId, event, payload);
            case GITEA -> GiteaEvents.parse("Gitea", deliveryId, event, payload);
            case FORGEJO -> GiteaEvents.parse("Forgejo", deliveryId, event, payload);
        };
    }
}
