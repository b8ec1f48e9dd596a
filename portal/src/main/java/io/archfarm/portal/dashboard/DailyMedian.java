package io.archfarm.portal.dashboard;

import java.time.LocalDate;

/** The median duration of one platform's succeeded jobs in one mode that finished on one day (UTC). */
record DailyMedian(String platform, String mode, LocalDate day, long jobs, double medianMillis) {}
