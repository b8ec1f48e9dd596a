package io.archfarm.portal.forge.webhook;

import tools.jackson.databind.JsonNode;

/**
 * Gitea's events, which Forgejo (a Gitea fork) sends unchanged: {@code push} for branches and tags. A deleted branch
 * arrives only as a {@code delete} event; a deleted tag as a {@code push} with an all-zero {@code after} followed by
 * a {@code delete}. A new ref also sends {@code create} next to its push, which alone starts the build.
 */
final class GiteaEvents {

    private GiteaEvents() {}

    static ForgeEvent parse(String forgeName, String deliveryId, String event, JsonNode payload) {
        return switch (event) {
            case "push" -> push(payload).toEvent(deliveryId, event);
            case "delete" ->
                new ForgeEvent.Other(
                        deliveryId,
                        event,
                        "the " + refType(payload) + " "
                                + WebhookPayloads.quoted(WebhookPayloads.string(payload, "ref"))
                                + " was deleted: a deletion starts nothing");
            case "create" ->
                new ForgeEvent.Other(
                        deliveryId,
                        event,
                        "the " + refType(payload) + " "
                                + WebhookPayloads.quoted(WebhookPayloads.string(payload, "ref"))
                                + " was created: the 'push' event sent with it starts the build");
            default ->
                new ForgeEvent.Other(
                        deliveryId,
                        event,
                        forgeName + "'s '" + event + "' event starts nothing: builds start on 'push'");
        };
    }

    private static PushedRef push(JsonNode payload) {
        String after = WebhookPayloads.string(payload, "after");
        String pusher = WebhookPayloads.string(payload, "pusher", "login");
        if (pusher == null || pusher.isBlank()) {
            pusher = WebhookPayloads.string(payload, "pusher", "username");
        }
        return new PushedRef(
                WebhookPayloads.string(payload, "ref"), "after", after, PushedRef.isZeroCommit(after), pusher);
    }

    private static String refType(JsonNode payload) {
        String refType = WebhookPayloads.string(payload, "ref_type");
        return refType == null ? "ref" : refType;
    }
}
