package io.archfarm.worker.build;

import java.util.Locale;

/** Where a job's RUN steps may connect to, at isolation level {@link IsolationLevel#NETNS}. */
public enum EgressPolicy {
    /** No network at all: the job's namespace has a loopback and nothing else. */
    NONE,
    /** The internet, but never the host, the farm, loopback, link-local, metadata or private addresses. */
    OUTSIDE,
    /** Only the operator's listed networks (and ports); everything else is dropped. */
    ALLOW_LIST;

    /** As the job log, the API and the pages write it. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
