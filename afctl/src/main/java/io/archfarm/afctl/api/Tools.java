package io.archfarm.afctl.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tool versions a worker reports with its heartbeats, and a platform job records for the attempt that ran it;
 * each null when unknown.
 *
 * @param qemu the qemu version per emulated platform
 */
public record Tools(String kernel, String storageDriver, String buildah, String skopeo, Map<String, String> qemu) {

    /** {@code buildah 1.28.2, skopeo 1.9.3, qemu 7.2.9, kernel 6.1.0-18-amd64, overlay}: what is known, short. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (buildah != null) {
            parts.add("buildah " + buildah);
        }
        if (skopeo != null) {
            parts.add("skopeo " + skopeo);
        }
        if (qemu != null && !qemu.isEmpty()) {
            TreeSet<String> versions = new TreeSet<>(qemu.values().stream().filter(v -> v != null).toList());
            if (!versions.isEmpty()) {
                parts.add("qemu " + String.join("/", versions));
            }
        }
        if (kernel != null) {
            parts.add("kernel " + kernel);
        }
        if (storageDriver != null) {
            parts.add(storageDriver);
        }
        return String.join(", ", parts);
    }
}
