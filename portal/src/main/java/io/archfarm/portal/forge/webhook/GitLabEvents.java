package io.archfarm.portal.forge.webhook;

import tools.jackson.databind.JsonNode;

/**
 * GitLab's events: {@code Push Hook} for branches, {@code Tag Push Hook} for tags. The commit to build is
 * {@code checkout_sha}; a deleted ref arrives with an all-zero {@code after} and a null {@code checkout_sha}. GitLab
 * has no ping: its "Test" button sends a push.
 */
final class GitLabEvents {

    private GitLabEvents() {}

    static ForgeEvent parse(String deliveryId, String event, JsonNode payload) {
        return switch (event) {
            case "Push Hook", "Tag Push Hook" ->
                matchingKind(event, push(payload).toEvent(deliveryId, event));
            default ->
                new ForgeEvent.Other(
                        deliveryId,
                        event,
                        "GitLab's '" + event + "' starts nothing: builds start on 'Push Hook' and 'Tag Push Hook'");
        };
    }

    /**
     * GitLab sends a branch push as {@code Push Hook} and a tag push as {@code Tag Push Hook}; a delivery whose header
     * says one and whose ref is the other was not made by GitLab as it is, so it starts nothing.
     */
    private static ForgeEvent matchingKind(String event, ForgeEvent parsed) {
        if (parsed instanceof ForgeEvent.Push push) {
            boolean tagHook = event.equals("Tag Push Hook");
            if (tagHook != (push.kind() == ForgeEvent.RefKind.TAG)) {
                throw new MalformedWebhookException("X-Gitlab-Event '" + event + "' does not match the ref: "
                        + (tagHook
                                ? "'Tag Push Hook' is for tags, but branch '" + push.name() + "' was pushed"
                                : "'Push Hook' is for branches, but tag '" + push.name() + "' was pushed (GitLab "
                                        + "sends tags as 'Tag Push Hook')"));
            }
        }
        return parsed;
    }

    private static PushedRef push(JsonNode payload) {
        boolean deletion = PushedRef.isZeroCommit(WebhookPayloads.string(payload, "after"));
        return new PushedRef(
                WebhookPayloads.string(payload, "ref"),
                "checkout_sha",
                WebhookPayloads.string(payload, "checkout_sha"),
                deletion,
                WebhookPayloads.string(payload, "user_username"));
    }
}
