package io.archfarm.worker.build;

import java.util.List;

/** Kills a process and everything it started: a build's RUN step runs in grandchildren of buildah. */
final class ProcessTree {

    private ProcessTree() {}

    static void kill(Process process) {
        // take the list before killing the parent: orphans are re-parented and would drop out of descendants()
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
