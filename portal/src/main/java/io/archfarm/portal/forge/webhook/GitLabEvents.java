package io.archfarm.portal.forge.webhook;

import tools.jackson.databind.JsonNode;

/**
 * GitLab's events: {@code Push Hook} for branches, {@code Tag Push Hook} for tags. The commit to build is
 * {@code checkout_sha}; a deleted ref arrives with an all-zero {@code after} and a null {@code checkout_sha}. GitLab
 * has no ping: its "Test" button sends a push.
 */
final class GitLabEvents {

    private GitLabEvents() {
    }

    static ForgeEvent parse(String deliveryId, String event, JsonNode payload) {
        return switch (event) {
            case "Push Hook", "Tag Push Hook" -> push(payload).toEvent(deliveryId, event);
            default -> new ForgeEvent.Other(deliveryId, event,
                    "GitLab's '" + event + "' starts nothing: builds start on 'Push Hook' and 'Tag Push Hook'");
        };
    }

    private static PushedRef push(JsonNode payload) {
        boolean deletion = PushedRef.isZeroCommit(WebhookPayloads.string(payload, "after"));
        return new PushedRef(WebhookPayloads.string(payload, "ref"), "checkout_sha",
                WebhookPayloads.string(payload, "checkout_sha"), deletion,
                WebhookPayloads.string(payload, "user_username"));
    }
}
