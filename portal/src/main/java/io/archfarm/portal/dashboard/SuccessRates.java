package io.archfarm.portal.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * Of a team's builds that ended (SUCCEEDED, PARTIAL, FAILED or CANCELLED) in the last 7 and 30 days, how many
 * SUCCEEDED.
 */
record SuccessRates(long ended7, long succeeded7, long ended30, long succeeded30) {

    static final SuccessRates NONE = new SuccessRates(0, 0, 0, 0);

    /** Null when nothing ended in the window: no rate rather than 0 %. */
    public @Nullable Double rate7() {
        return ratio(succeeded7, ended7);
    }

    public @Nullable Double rate30() {
        return ratio(succeeded30, ended30);
    }

    private static @Nullable Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
