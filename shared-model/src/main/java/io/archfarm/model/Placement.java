package io.archfarm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a platform job may run. The wire form is the lower-case, dashed name: {@code native-preferred}. */
public enum Placement {
    /** Only on a worker that runs the platform natively; fails when none is online. */
    NATIVE_ONLY,
    /** On a native worker when one takes it within the native wait, else on an emulating worker. The default. */
    NATIVE_PREFERRED,
    /** On whichever capable worker, native or emulating, takes it first. */
    ANY;

    public static final Placement DEFAULT = NATIVE_PREFERRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the wire form; the message of the exception names the value and the allowed ones. */
    public static Placement parse(String value) {
        for (Placement placement : values()) {
            if (placement.wireName().equals(value)) {
                return placement;
            }
        }
        throw new IllegalArgumentException("unknown placement '" + value + "': expected one of "
                + Arrays.stream(values()).map(Placement::wireName).collect(Collectors.joining(", ")));
    }
}
