package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mounts an overlay store may still hold (a working container whose {@code buildah rm} failed). Deleting a store
 * through a live mount fails half-way on the busy mount point and leaves a store that fails every later job, so they
 * are detached first. vfs stores hold none, and then this finds nothing.
 */
final class StoreMounts {

    private static final Logger LOG = LoggerFactory.getLogger(StoreMounts.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private StoreMounts() {}

    /** Lazily unmounts every mount point under {@code dir}, the deepest first. */
    static void detach(Path dir) {
        for (String mountPoint : under(dir, readMountInfo())) {
            try {
                Process umount = new ProcessBuilder("umount", "-l", mountPoint)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!umount.waitFor(30, TimeUnit.SECONDS)) {
                    umount.destroyForcibly();
                }
                LOG.warn("detached {}, left mounted in the image store {}", mountPoint, dir);
            } catch (IOException e) {
                LOG.warn("cannot detach {}: {}", mountPoint, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The mount points (field 5 of mountinfo, octal escapes decoded) at or below {@code dir}, deepest first. */
    static List<String> under(Path dir, List<String> mountInfo) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        return mountInfo.stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 4)
                .map(fields -> unescape(fields[4]))
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    private static List<String> readMountInfo() {
        try {
            return Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\'
                    && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
