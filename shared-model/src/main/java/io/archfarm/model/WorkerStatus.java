package io.archfarm.model;

/** A worker as the scheduler sees it through its heartbeats. */
public enum WorkerStatus {
    ONLINE,
    DRAINING,
    OFFLINE
}
