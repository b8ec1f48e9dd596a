package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Chooses the storage driver of the worker's image stores at start ({@code archfarm.worker.storage-driver}):
 * {@code overlay} where the kernel has the overlay filesystem and buildah can open an overlay store on the storage
 * root's own filesystem (an overlay upper directory cannot live on overlayfs or on some network filesystems), else
 * {@code vfs}. A forced {@code overlay} that does not work stops the worker instead of building slowly unnoticed.
 */
public final class StorageDriverDetection {

    public static final String AUTO = "auto";
    private static final Logger LOG = LoggerFactory.getLogger(StorageDriverDetection.class);
    private static final Path FILESYSTEMS = Path.of("/proc/filesystems");
    private static final long PROBE_SECONDS = 60;

    /** Whether buildah opens an overlay store in a directory; a probe that cannot tell says no. */
    @FunctionalInterface
    interface OverlayProbe {
        boolean works(Path scratch);
    }

    private StorageDriverDetection() {}

    /**
     * @param configured {@code auto}, {@code overlay} or {@code vfs}
     * @throws IllegalArgumentException when {@code configured} is none of those, or is {@code overlay} and overlay
     *                                  does not work here
     */
    public static StorageDriver choose(String configured, Path storageRoot) {
        return choose(configured, readFilesystems(), storageRoot, StorageDriverDetection::buildahOpensOverlay);
    }

    static StorageDriver choose(String configured, String filesystems, Path storageRoot, OverlayProbe probe) {
        String value = configured == null ? AUTO : configured.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "vfs" -> StorageDriver.VFS;
            case AUTO -> overlayWorks(filesystems, storageRoot, probe) ? StorageDriver.OVERLAY : StorageDriver.VFS;
            case "overlay" -> {
                if (!overlayWorks(filesystems, storageRoot, probe)) {
                    throw new IllegalArgumentException("archfarm.worker.storage-driver=overlay, but buildah cannot "
                            + "use overlay in " + storageRoot + " (see the log above); set it to auto or vfs");
                }
                yield StorageDriver.OVERLAY;
            }
            default ->
                throw new IllegalArgumentException(
                        "archfarm.worker.storage-driver must be auto, overlay or " + "vfs, was '" + configured + "'");
        };
    }

    static boolean overlayWorks(String filesystems, Path storageRoot, OverlayProbe probe) {
        boolean listed = filesystems
                .lines()
                .map(String::trim)
                .anyMatch(line -> List.of(line.split("\\s+")).getLast().equals("overlay"));
        if (!listed) {
            LOG.info("the kernel has no overlay filesystem ({} does not list it): image stores use vfs", FILESYSTEMS);
            return false;
        }
        // named by the process: two workers given one storage root by mistake must not delete each other's probe
        Path scratch =
                storageRoot.resolve("overlay-probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(storageRoot);
            FileSystemUtils.deleteRecursively(scratch);
            return probe.works(scratch);
        } catch (IOException e) {
            LOG.warn("cannot probe overlay in {}: {}; image stores use vfs", storageRoot, e.toString());
            return false;
        } finally {
            try {
                FileSystemUtils.deleteRecursively(scratch);
            } catch (IOException e) {
                LOG.warn("cannot delete the overlay probe {}: {}", scratch, e.toString());
            }
        }
    }

    private static String readFilesystems() {
        try {
            return Files.readString(FILESYSTEMS);
        } catch (IOException e) {
            return "";
        }
    }

    /** containers/storage mounts a test overlay when it opens an overlay store: {@code buildah info} does that. */
    private static boolean buildahOpensOverlay(Path scratch) {
        List<String> command = List.of(
                "buildah",
                "--storage-driver",
                "overlay",
                "--root",
                scratch.resolve("root").toString(),
                "--runroot",
                scratch.resolve("run").toString(),
                "info",
                "--format",
                "{{.store.GraphDriverName}}");
        try {
            // to a file, not a pipe: a hung buildah must not block the worker's start beyond the timeout
            Path output = Files.createDirectories(scratch).resolve("info.out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warn("buildah info with overlay did not answer in {}s: image stores use vfs", PROBE_SECONDS);
                return false;
            }
            String answer = Files.readString(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0 || !answer.equals("overlay")) {
                LOG.warn(
                        "buildah cannot open an overlay store in {} (exit {}): {}; image stores use vfs",
                        scratch,
                        process.exitValue(),
                        answer.lines().reduce((a, b) -> b).orElse(""));
                return false;
            }
            return true;
        } catch (IOException e) {
            LOG.warn("cannot run buildah to probe overlay: {}; image stores use vfs", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
