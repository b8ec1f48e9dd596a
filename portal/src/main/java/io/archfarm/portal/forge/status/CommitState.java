package io.archfarm.portal.forge.status;

/** What the farm says about a commit; each forge spells these its own way on the wire. */
public enum CommitState {
    /** The build is queued or running. */
    PENDING,
    /** The build published its images. */
    SUCCESS,
    /** The build ran and failed (a RUN step failed, a platform failed). */
    FAILURE,
    /** The build was cancelled, or the farm could not build it at all. */
    ERROR
}
