package io.archfarm.model;

/** How a worker ran a platform job: on hardware of that architecture, or under qemu user-mode emulation. */
public enum ExecutionMode {
    NATIVE,
    EMULATED
}
