package io.archfarm.portal.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A team's 30-day statistics as computed at {@code computedAt}.
 *
 * @param days      the days of the durations chart, oldest first, ending today (UTC)
 * @param durations per platform and mode, by platform then NATIVE before EMULATED
 * @param daily     per platform, mode and day, in the same order, oldest day first
 */
record TeamStatistics(
        Instant computedAt,
        SuccessRates rates,
        List<LocalDate> days,
        List<PlatformDuration> durations,
        List<DailyMedian> daily) {}
