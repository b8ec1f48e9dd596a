package io.archfarm.portal.dashboard;

/** The fleet by state, as the scheduler last recorded it. */
record WorkerCounts(long online, long draining, long offline) {
}
