package io.archfarm.model;

/** How a worker's attempt at a platform job ended. */
public enum JobOutcome {
    /** The image was built and pushed by digest. */
    SUCCEEDED,
    /** The build itself failed (missing Containerfile, failing step, refused push, timeout): retrying won't help. */
    FAILED,
    /** The worker or its surroundings failed (disk, git transport, buildah crash): another attempt may succeed. */
    INFRA_FAILED,
    /** The attempt was stopped because the build was cancelled. */
    CANCELLED
}
