package io.archfarm.worker.build;

import io.archfarm.model.registry.RegistryCredential;

/**
 * The registry credential of a job's project, as the scheduler sealed it for this worker in the claim's answer and
 * the worker opened it: only in memory, and on disk only in the job's own auth file for as long as the job runs.
 *
 * @param owner whose credential it is, for messages: {@code project team/app}
 */
public record JobCredential(RegistryCredential credential, String owner) {

    String registry() {
        return credential.registry();
    }
}
