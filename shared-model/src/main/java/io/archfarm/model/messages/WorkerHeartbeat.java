package io.archfarm.model.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Worker → scheduler, every few seconds: who I am, what I can build, and what I am running right now. A worker
 * whose heartbeats stop loses its jobs to other workers. Fields a newer worker adds are skipped here, whatever the
 * reading mapper's settings, so that workers and schedulers can be upgraded in either order.
 *
 * @param nativePlatforms   canonical platforms the worker runs natively
 * @param emulatedPlatforms canonical platforms it runs under qemu
 * @param storageDriver     the driver of its buildah image stores ({@code overlay} or {@code vfs}); null from a
 *                          worker older than that field
 * @param finished          attempts it ended recently (their results sent, perhaps still waiting in the broker's
 *                          queue for a busy scheduler): not running any more, but not forgotten either; null from a
 *                          worker older than that field
 * @param tools             the tools it builds with (buildah, skopeo, qemu per emulated platform, kernel, storage
 *                          driver), detected at its start; null from a worker older than that field
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerHeartbeat(
        UUID messageId,
        String workerId,
        String host,
        List<String> nativePlatforms,
        List<String> emulatedPlatforms,
        int slots,
        List<RunningJob> running,
        boolean draining,
        Instant sentAt,
        @Nullable String storageDriver,
        @Nullable List<RunningJob> finished,
        @Nullable WorkerTools tools)
        implements Message {

    /** A heartbeat that does not say its tools, as workers before the field sent it. */
    public WorkerHeartbeat(
            UUID messageId,
            String workerId,
            String host,
            List<String> nativePlatforms,
            List<String> emulatedPlatforms,
            int slots,
            List<RunningJob> running,
            boolean draining,
            Instant sentAt,
            @Nullable String storageDriver,
            @Nullable List<RunningJob> finished) {
        this(
                messageId,
                workerId,
                host,
                nativePlatforms,
                emulatedPlatforms,
                slots,
                running,
                draining,
                sentAt,
                storageDriver,
                finished,
                null);
    }

    /** A heartbeat that lists no finished attempts, as workers before the field sent it. */
    public WorkerHeartbeat(
            UUID messageId,
            String workerId,
            String host,
            List<String> nativePlatforms,
            List<String> emulatedPlatforms,
            int slots,
            List<RunningJob> running,
            boolean draining,
            Instant sentAt,
            @Nullable String storageDriver) {
        this(
                messageId,
                workerId,
                host,
                nativePlatforms,
                emulatedPlatforms,
                slots,
                running,
                draining,
                sentAt,
                storageDriver,
                null,
                null);
    }

    /** A heartbeat that does not say its storage driver, as workers before the field sent it. */
    public WorkerHeartbeat(
            UUID messageId,
            String workerId,
            String host,
            List<String> nativePlatforms,
            List<String> emulatedPlatforms,
            int slots,
            List<RunningJob> running,
            boolean draining,
            Instant sentAt) {
        this(
                messageId,
                workerId,
                host,
                nativePlatforms,
                emulatedPlatforms,
                slots,
                running,
                draining,
                sentAt,
                null,
                null,
                null);
    }

    /** One attempt the worker is executing. */
    public record RunningJob(UUID jobId, int attempt) {}
}
