package io.archfarm.scheduler.builds;

import java.util.UUID;

/**
 * A build's jobs were queued and committed (a new build fanned out, or failed platforms retried): whoever places jobs
 * may place this build's now. Published synchronously after the transaction, so builds need not know the dispatcher.
 */
public record BuildJobsQueued(UUID buildId) {}
