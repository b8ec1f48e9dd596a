package io.archfarm.portal.forge.webhook;

import io.archfarm.portal.forge.webhook.ForgeEvent.RefKind;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a push payload says, before it is checked: the full ref, the field holding the commit to build and its value,
 * whether the forge says the ref was deleted, and who pushed. {@link #toEvent} applies the rules all forges share.
 */
record PushedRef(
        @Nullable String ref,
        String commitField,
        @Nullable String commit,
        boolean deletion,
        @Nullable String pusher) {

    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern ZERO_COMMIT = Pattern.compile("0{40}|0{64}");

    /** Forges announce a deleted ref as a push whose new commit is all zeros (SHA-1 or SHA-256 length). */
    static boolean isZeroCommit(@Nullable String commit) {
        return commit != null && ZERO_COMMIT.matcher(commit).matches();
    }

    /**
     * A {@link ForgeEvent.Push} for a branch or tag; an {@link ForgeEvent.Other} for any other ref (notes, merge
     * requests...).
     *
     * @throws MalformedWebhookException when the ref is missing or empty, or a push that deletes nothing has no
     *         well-formed commit
     */
    ForgeEvent toEvent(String deliveryId, String event) {
        if (ref == null || ref.isBlank()) {
            throw new MalformedWebhookException("the push has no 'ref': it names the branch or tag that was pushed");
        }
        RefKind kind;
        String name;
        if (ref.startsWith(BRANCH_PREFIX)) {
            kind = RefKind.BRANCH;
            name = ref.substring(BRANCH_PREFIX.length());
        } else if (ref.startsWith(TAG_PREFIX)) {
            kind = RefKind.TAG;
            name = ref.substring(TAG_PREFIX.length());
        } else {
            return new ForgeEvent.Other(
                    deliveryId,
                    event,
                    "a push to " + WebhookPayloads.quoted(ref) + ", which is neither a branch nor a tag");
        }
        if (name.isBlank()) {
            throw new MalformedWebhookException("the push's 'ref' " + WebhookPayloads.quoted(ref) + " names no "
                    + (kind == RefKind.BRANCH ? "branch" : "tag"));
        }
        if (deletion) {
            return new ForgeEvent.Push(deliveryId, event, kind, name, null, true, blankToNull(pusher));
        }
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw new MalformedWebhookException("the push of " + ref + " has no commit to build: '" + commitField
                    + "' must be 40 or 64 lowercase hex digits, got " + WebhookPayloads.quoted(commit));
        }
        return new ForgeEvent.Push(deliveryId, event, kind, name, commit, false, blankToNull(pusher));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
