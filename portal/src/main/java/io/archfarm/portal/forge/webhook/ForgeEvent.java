package io.archfarm.portal.forge.webhook;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an authentic webhook delivery asks of the farm, whichever forge sent it: a ping, a push to a branch or tag,
 * or something the farm does not act on.
 */
public sealed interface ForgeEvent {

    /** The forge's id for this delivery; a redelivery carries the same id, so the farm can do nothing twice. */
    String deliveryId();

    /** The event name as the forge sent it, such as {@code push}, {@code Tag Push Hook} or {@code ping}. */
    String event();

    /** The forge checking that the webhook works; it expects a success answer and nothing else. */
    record Ping(String deliveryId, String event) implements ForgeEvent {

        public Ping {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A push to a branch or tag. {@code name} is the short name ({@code main}, {@code feature/x}, {@code v1.2.0});
     * {@code commit} is the commit to build, or null when the push deleted the ref; {@code pusher} is the forge's
     * user name of whoever pushed, or null when the forge did not say.
     */
    record Push(
            String deliveryId,
            String event,
            RefKind kind,
            String name,
            @Nullable String commit,
            boolean deletion,
            @Nullable String pusher)
            implements ForgeEvent {

        public Push {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            if (deletion != (commit == null)) {
                throw new IllegalArgumentException(
                        "a push has a commit to build exactly when it is not a deletion: deletion=" + deletion
                                + ", commit=" + commit);
            }
        }
    }

    /**
     * An event the farm does not act on (issues, pull requests, a deleted branch announced on its own, a push to a
     * ref that is neither a branch nor a tag...). {@code reason} says why, for the delivery log.
     */
    record Other(String deliveryId, String event, String reason) implements ForgeEvent {

        public Other {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Whether a push went to a branch ({@code refs/heads/}) or a tag ({@code refs/tags/}). */
    enum RefKind {
        BRANCH,
        TAG
    }
}
