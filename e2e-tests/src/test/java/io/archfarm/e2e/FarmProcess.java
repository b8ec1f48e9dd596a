package io.archfarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One part of the farm running as a real OS process, its output in a log file of its own. */
final class FarmProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private FarmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static FarmProcess start(String name, List<String> command, Map<String, String> env, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // Settings the developer's shell may carry must not leak into the farm under test.
        builder.environment()
                .keySet()
                .removeIf(key -> key.startsWith("SPRING_")
                        || key.startsWith("SERVER_")
                        || (key.startsWith("ARCHFARM_") && !key.equals("ARCHFARM_CACHE")));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(logDir);
            return new FarmProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start " + name + " (" + command.getFirst() + "): " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Waits for a one-shot process; fails with its log tail when it does not end well in time. */
    void awaitSuccess(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + "s:\n" + tail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(30));
        }
    }

    /** True while some process below this one runs a command line containing {@code text}. */
    boolean hasDescendantRunning(String text) {
        return process.descendants().anyMatch(child -> commandLine(child).contains(text));
    }

    /**
     * argv as the kernel keeps it. {@code Info.commandLine()} puts the executable's path in argv[0]'s place, which
     * turns a busybox applet run by runc ({@code sleep 20}) into {@code /bin/busybox 20}.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ')
                    .strip();
        } catch (IOException gone) {
            return process.info().commandLine().orElse("");
        }
    }

    /**
     * SIGKILL for the process and everything it started, the way a host dies. The children are collected first and
     * killed after the parent, so the parent never sees a child die and reports it.
     */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    long pid() {
        return process.pid();
    }
}
