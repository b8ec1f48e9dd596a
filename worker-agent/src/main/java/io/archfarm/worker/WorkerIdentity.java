package io.archfarm.worker;

/** Who this worker is on the broker: the id names its control queue and appears on every result it sends. */
public record WorkerIdentity(String id, String host) {}
