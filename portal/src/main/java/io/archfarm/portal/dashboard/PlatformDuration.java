package io.archfarm.portal.dashboard;

/** How long one platform's succeeded jobs took in one mode (NATIVE or EMULATED): their number, median and p95. */
record PlatformDuration(String platform, String mode, long jobs, double medianMillis, double p95Millis) {}
