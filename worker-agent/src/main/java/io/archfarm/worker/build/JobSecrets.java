package io.archfarm.worker.build;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The build secrets of a job, by id, as the scheduler sealed them for this worker in the claim's answer and the worker
 * opened them: in memory, on disk only in the job's secrets directory while {@code buildah build} runs
 * ({@link JobSecretFiles}), and replaced by {@code ****} in everything the job reports ({@link SecretRedaction}).
 */
public final class JobSecrets {

    private static final JobSecrets NONE = new JobSecrets(Map.of());

    private final Map<String, String> values;

    private JobSecrets(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static JobSecrets none() {
        return NONE;
    }

    public static JobSecrets of(Map<String, String> values) {
        return values.isEmpty() ? NONE : new JobSecrets(values);
    }

    Map<String, String> values() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** What the job's log replaces with {@code ****}. */
    public SecretRedaction redaction() {
        return SecretRedaction.of(values.values());
    }

    /** The ids only: a job's secrets may be printed, their values never. */
    @Override
    public String toString() {
        return "JobSecrets" + values.keySet();
    }
}
