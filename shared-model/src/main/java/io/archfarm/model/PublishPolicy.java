package io.archfarm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a build publishes when some of its platforms fail. The wire form is lower case: {@code all}, {@code partial}. */
public enum PublishPolicy {
    /** Publish only when every platform succeeded; otherwise publish nothing and fail the build. The default. */
    ALL,
    /** Publish a manifest list of the platforms that succeeded and end PARTIAL. */
    PARTIAL;

    public static final PublishPolicy DEFAULT = ALL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PublishPolicy parse(String value) {
        for (PublishPolicy policy : values()) {
            if (policy.wireName().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown publish policy '" + value + "': expected one of "
                + Arrays.stream(values()).map(PublishPolicy::wireName).collect(Collectors.joining(", ")));
    }
}
