package io.archfarm.model.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The tools a worker builds with, detected once when it starts: sent with its heartbeats (the fleet page,
 * {@code GET /api/v1/workers}) and with each claim, so that a platform job records what its attempt ran with. A
 * field is null where the worker could not tell; a field this version does not know (a newer worker's) is skipped.
 *
 * @param kernel        the host's kernel release ({@code uname -r})
 * @param storageDriver the driver of its buildah image stores, {@code overlay} or {@code vfs}
 * @param buildah       buildah's version ({@code 1.28.2})
 * @param skopeo        skopeo's version
 * @param qemu          per emulated platform, the version of the qemu its binfmt_misc entry runs; empty for a worker
 *                      that emulates nothing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerTools(
        @Nullable String kernel,
        @Nullable String storageDriver,
        @Nullable String buildah,
        @Nullable String skopeo,
        Map<String, @Nullable String> qemu) {

    public WorkerTools {
        // a TreeMap: sorted by platform for the page, and a version the worker could not tell stays a null
        qemu = qemu == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(qemu));
    }
}
