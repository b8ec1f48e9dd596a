package io.archfarm.scheduler.workers;

import io.archfarm.model.Platform;
import io.archfarm.model.messages.WorkerTools;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker's tools as its heartbeat or claim says them, made fit to keep and show ({@code workers.tools},
 * {@code platform_jobs.tools}): a worker is less trusted than the control plane and the versions end up on pages and
 * in the API as stored. Control characters go, each version is cut at 64 characters, and of the qemu versions only
 * those of platforms the farm knows are kept (at most 32), under the platform's canonical name.
 */
public final class ReportedTools {

    static final int MAX_VERSION = 64;
    static final int MAX_PLATFORMS = 32;

    private ReportedTools() {}

    /** The tools as JSON to store, or null when the worker said none. */
    public static @Nullable String json(@Nullable WorkerTools tools, JsonMapper json) {
        return tools == null ? null : json.writeValueAsString(of(tools));
    }

    static WorkerTools of(WorkerTools tools) {
        Map<String, String> qemu = new LinkedHashMap<>();
        tools.qemu().forEach((platform, version) -> {
            if (qemu.size() < MAX_PLATFORMS) {
                canonical(platform).ifPresent(name -> qemu.put(name, text(version)));
            }
        });
        return new WorkerTools(
                text(tools.kernel()), text(tools.storageDriver()), text(tools.buildah()), text(tools.skopeo()), qemu);
    }

    private static Optional<String> canonical(String platform) {
        try {
            return Optional.of(Platform.parse(platform).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String text(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.isEmpty() ? null : clean.substring(0, Math.min(MAX_VERSION, clean.length()));
    }
}
