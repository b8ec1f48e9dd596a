package io.archfarm.worker.build;

import java.util.Locale;

/** How far a job's RUN steps are kept from the worker host. See docs/ARCHITECTURE.md, "Isolation of RUN steps". */
public enum IsolationLevel {
    /** buildah's chroot isolation in the worker's own network namespace: only for farms that trust every build. */
    HOST,
    /**
     * buildah's OCI isolation through runc (own mount, pid, ipc and uts namespaces) and a network namespace of the
     * job's own, whose way out (if the egress policy gives it one) is filtered by nftables on the host.
     */
    NETNS;

    /** As the job log, the API and the pages write it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
