package io.archfarm.worker;

import io.archfarm.model.Platform;
import io.archfarm.model.messages.WorkerTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, once at the worker's start, the versions of what its builds run with: the kernel, buildah, skopeo, and for
 * each emulated platform the qemu its binfmt_misc entry hands the platform's binaries to. They go out with every
 * heartbeat and every claim; a tool that cannot be asked is reported unknown (null), never a reason not to start.
 */
final class ToolDetection {

    private static final Logger LOG = LoggerFactory.getLogger(ToolDetection.class);
    /** {@code buildah version 1.28.2 (…)}, {@code skopeo version 1.9.3}, {@code qemu-aarch64 version 7.2.22 (…)}. */
    private static final Pattern VERSION = Pattern.compile("\\bversion\\s+v?([0-9][0-9A-Za-z.+~_-]{0,63})");

    private static final Pattern INTERPRETER = Pattern.compile("(?m)^interpreter\\s+(\\S+)");
    private static final long ANSWER_SECONDS = 10;

    private ToolDetection() {}

    static WorkerTools detect(List<Platform> emulated, Path binfmtDir, String storageDriver) {
        Map<String, String> qemu = new LinkedHashMap<>();
        for (Platform platform : emulated) {
            qemu.put(
                    platform.toString(),
                    qemuVersion(binfmtDir.resolve("qemu-" + platform.qemuName()))
                            .orElse(null));
        }
        return new WorkerTools(
                kernel().orElse(null),
                storageDriver,
                version(List.of("buildah", "--version")).orElse(null),
                version(List.of("skopeo", "--version")).orElse(null),
                qemu);
    }

    /** The running kernel's release, as {@code uname -r} prints it. */
    private static Optional<String> kernel() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys/kernel/osrelease"))
                            .strip())
                    .filter(release -> !release.isEmpty());
        } catch (IOException e) {
            return Optional.ofNullable(System.getProperty("os.version"));
        }
    }

    /**
     * The version of the qemu an entry runs. Debian registers {@code /usr/libexec/qemu-binfmt/aarch64-binfmt-P}, a
     * link to {@code qemu-aarch64-static} that refuses to run under that name outside binfmt_misc: the link's target
     * is asked instead.
     */
    static Optional<String> qemuVersion(Path entry) {
        try {
            Matcher interpreter = INTERPRETER.matcher(Files.readString(entry, StandardCharsets.UTF_8));
            if (!interpreter.find()) {
                return Optional.empty();
            }
            Path binary = Path.of(interpreter.group(1));
            Path real = Files.exists(binary) ? binary.toRealPath() : binary;
            return version(List.of(real.toString(), "--version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What the version line of {@code command}'s output says, or empty when it did not answer with one. */
    static Optional<String> version(List<String> command) {
        Path output = null;
        try {
            // to a file, not a pipe: a tool that hangs must not hold the worker's start beyond the timeout
            output = Files.createTempFile("archfarm-tool-version", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warn("{} did not answer within {}s: its version is unknown", command, ANSWER_SECONDS);
                return Optional.empty();
            }
            Matcher version = VERSION.matcher(Files.readString(output, StandardCharsets.UTF_8));
            return process.exitValue() == 0 && version.find() ? Optional.of(version.group(1)) : Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}; its version is unknown", command, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", file, e.toString());
            }
        }
    }
}
