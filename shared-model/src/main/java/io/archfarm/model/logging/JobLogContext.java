package io.archfarm.model.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the build, the platform job, its platform and attempt into the log context (SLF4J's MDC) of the current thread
 * for as long as it handles them, so that every log line about them carries them: as fields of their own in JSON
 * logs ({@code logging.structured.format.console=ecs}), where a search for one build id finds what every part said
 * about it. Close it when the work is done (try-with-resources): each entry it set goes back to what it was before
 * (an outer context's value, or nothing). A null value is left out.
 */
public final class JobLogContext implements AutoCloseable {

    public static final String BUILD_ID = "buildId";
    public static final String JOB_ID = "jobId";
    public static final String PLATFORM = "platform";
    public static final String ATTEMPT = "attempt";

    /** What each key this context set held before, in the order set; null where it held nothing. */
    private final Map<String, @Nullable String> before = new LinkedHashMap<>();

    private JobLogContext() {}

    /** A context naming a build only. */
    public static JobLogContext ofBuild(@Nullable UUID buildId) {
        return new JobLogContext().with(BUILD_ID, buildId);
    }

    /** A context naming one attempt of a platform job; {@code buildId} and {@code platform} may be null. */
    public static JobLogContext ofJob(@Nullable UUID buildId, UUID jobId, @Nullable String platform, int attempt) {
        return new JobLogContext()
                .with(BUILD_ID, buildId)
                .with(JOB_ID, jobId)
                .with(PLATFORM, platform)
                .with(ATTEMPT, attempt);
    }

    /** Adds {@code key} (when its value is known) to this context, e.g. the build once a job's row was read. */
    public JobLogContext with(String key, @Nullable Object value) {
        if (value != null) {
            if (!before.containsKey(key)) {
                before.put(key, MDC.get(key));
            }
            MDC.put(key, value.toString());
        }
        return this;
    }

    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
        before.clear();
    }
}
