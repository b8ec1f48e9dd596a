package io.archfarm.worker.build;

import java.util.Locale;

/** The containers/storage driver of the worker's buildah image stores. */
public enum StorageDriver {

    /** Layers stacked by the kernel's overlay filesystem: a layer is stored once, a container costs no copy. */
    OVERLAY,
    /** Every layer a full copy of the one below it: works on any filesystem, slow and large. */
    VFS;

    /** As buildah's {@code --storage-driver}, the heartbeat and the fleet page name it. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
