package io.archfarm.portal.dashboard;

/**
 * QUEUED platform jobs of one platform in one queue: the reader's teams' and the whole farm's (the workers are
 * shared).
 *
 * @param mode the queue they wait in: {@code NATIVE} (for a native worker), {@code EMULATED} (an emulating worker
 *             may take them: no native worker took them in time, or none can), or null: not in a queue yet (offered
 *             to the worker that built them last, or waiting for a worker that can build them at all)
 * @param team the jobs of the dashboard's team, or of the board's teams
 */
record QueueDepth(String platform, String mode, long team, long farm) {}
