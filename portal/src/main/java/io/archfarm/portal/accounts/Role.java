package io.archfarm.portal.accounts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a membership lets a person do in one team; each role includes the ones before it. Admins (a property of the
 * user, not of a membership) may do everything in every team.
 */
public enum Role {
    /** sees the team's projects, builds and logs */
    VIEWER,
    /** also starts and cancels builds */
    DEVELOPER,
    /** also creates, changes and deletes projects, and sees and rotates their webhook secrets */
    MAINTAINER;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values())
                .filter(r -> r.wireName().equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst();
    }
}
