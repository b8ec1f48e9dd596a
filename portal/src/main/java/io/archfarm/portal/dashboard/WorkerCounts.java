package io.archfarm.portal.dashboard;

/**
 * The fleet by state, as the scheduler last recorded it.
 *
 * @param busySlots jobs running on the workers that are ONLINE or DRAINING
 * @param slots     the jobs those workers may run at once
 */
record WorkerCounts(long online, long draining, long offline, long busySlots, long slots) {}
