package io.archfarm.portal.forge;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The git forges whose webhooks the farm takes and to which it reports commit statuses. */
public enum Forge {
    GITHUB,
    GITLAB,
    GITEA,
    FORGEJO;

    /** How the forge appears in URLs and JSON: {@code github}, {@code gitlab}, {@code gitea}, {@code forgejo}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Forge> fromWireName(@Nullable String name) {
        return Arrays.stream(values())
                .filter(f -> f.wireName().equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst();
    }
}
