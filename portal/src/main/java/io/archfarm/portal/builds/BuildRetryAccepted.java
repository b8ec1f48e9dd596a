package io.archfarm.portal.builds;

import java.time.Instant;
import java.util.UUID;

/**
 * Published inside the transaction that accepted a retry of a build's failed platforms, for whatever else in the
 * portal follows a build's outcome (the commit statuses) to start over.
 */
public record BuildRetryAccepted(UUID buildId, Instant at) {}
