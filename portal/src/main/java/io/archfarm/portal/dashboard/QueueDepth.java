package io.archfarm.portal.dashboard;

/** QUEUED platform jobs of one platform: the team's own, and the whole farm's (the workers are shared). */
record QueueDepth(String platform, long team, long farm) {
}
