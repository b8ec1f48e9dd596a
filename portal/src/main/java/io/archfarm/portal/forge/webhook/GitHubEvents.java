package io.archfarm.portal.forge.webhook;

import tools.jackson.databind.JsonNode;

/**
 * GitHub's events: {@code ping} when a webhook is created, {@code push} for branches and tags alike. A deleted ref
 * arrives as a push with {@code deleted: true} and an all-zero {@code after}.
 */
final class GitHubEvents {

    private GitHubEvents() {}

    static ForgeEvent parse(String deliveryId, String event, JsonNode payload) {
        return switch (event) {
            case "ping" -> new ForgeEvent.Ping(deliveryId, event);
            case "push" -> push(payload).toEvent(deliveryId, event);
            default ->
                new ForgeEvent.Other(
                        deliveryId, event, "GitHub's '" + event + "' event starts nothing: builds start on 'push'");
        };
    }

    private static PushedRef push(JsonNode payload) {
        String after = WebhookPayloads.string(payload, "after");
        boolean deletion = WebhookPayloads.isTrue(payload, "deleted") || PushedRef.isZeroCommit(after);
        return new PushedRef(
                WebhookPayloads.string(payload, "ref"),
                "after",
                after,
                deletion,
                WebhookPayloads.string(payload, "pusher", "name"));
    }
}
