package io.archfarm.portal.web;

import io.archfarm.model.messages.WorkerTools;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** How the pages write times, durations and sizes; templates call it as {@code ${@fmt.duration(...)}}. */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A worker's tools in one line: {@code buildah 1.28.2 · skopeo 1.9.3 · kernel 6.1.0-28-amd64}. */
    public String tools(WorkerTools tools) {
        if (tools == null) {
            return "";
        }
        return String.join(
                " · ",
                "buildah " + known(tools.buildah()),
                "skopeo " + known(tools.skopeo()),
                "kernel " + known(tools.kernel()));
    }

    /** The qemu versions of a worker's emulated platforms, those of one version together: {@code 7.2.22 (linux/arm64, …)}. */
    public String qemu(WorkerTools tools) {
        if (tools == null || tools.qemu().isEmpty()) {
            return "";
        }
        Map<String, List<String>> byVersion = new TreeMap<>();
        tools.qemu()
                .forEach((platform, version) -> byVersion
                        .computeIfAbsent(known(version), v -> new ArrayList<>())
                        .add(platform));
        return byVersion.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining("; "));
    }

    /**
     * What one platform job ran with, briefly: buildah's version, and under emulation the qemu of its platform
     * ({@code buildah 1.28.2 · qemu 7.2.22}); empty before it ran.
     */
    public String jobTools(WorkerTools tools, String platform, String mode) {
        if (tools == null) {
            return "";
        }
        String buildah = "buildah " + known(tools.buildah());
        return "EMULATED".equals(mode)
                ? buildah + " · qemu " + known(tools.qemu().get(platform))
                : buildah;
    }

    private static String known(@Nullable String version) {
        return version == null ? "?" : version;
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** How long ago, coarsely: "4 s ago", "3 min ago"; the exact time belongs in a title attribute. */
    public String ago(Instant instant) {
        if (instant == null) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(instant, Instant.now()).toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds < 172_800 ? seconds / 3600 + " h ago" : seconds / 86_400 + " days ago";
    }

    /** From start to end, or to now while it runs; empty before it started. */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        return duration(
                Duration.between(start, end == null ? Instant.now() : end).toMillis());
    }

    public String duration(long millis) {
        if (millis < 0) {
            return "";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 3600) {
            return seconds / 60 > 0 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }

    /** A phase of a job: milliseconds below a second, where most phases of a small build are. */
    public String phase(long millis) {
        return millis >= 0 && millis < 1000 ? millis + " ms" : duration(millis);
    }

    public String duration(Double millis) {
        return millis == null ? "" : duration(Math.round(millis));
    }

    public String size(Long bytes) {
        if (bytes == null) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The first {@code length} characters of a digest's hex, as people quote them. */
    public String shortDigest(String digest) {
        if (digest == null) {
            return "";
        }
        String hex = digest.contains(":") ? digest.substring(digest.indexOf(':') + 1) : digest;
        return hex.length() <= 12 ? hex : hex.substring(0, 12);
    }

    public String percent(Double ratio) {
        return ratio == null ? "–" : String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }
}
