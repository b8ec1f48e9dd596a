package io.archfarm.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real afctl as a user runs it: {@code afctl/target/afctl}, the POSIX sh wrapper with the jar appended that
 * {@code ./archfarm install-afctl} installs, started as a process with a home of its own (where {@code afctl login}
 * writes its config), an environment, and standard input; what it printed and its exit code come back.
 */
final class AfctlProcess {

    record Result(int exitCode, String out, String err, Duration wall) {
        /** Everything it printed, for assertion messages. */
        String printed() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path executable;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    AfctlProcess(Path home) {
        this.executable = Farm.repositoryRoot().resolve("afctl/target/afctl");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is missing: build it first (mvn -pl afctl -am package)");
        }
        this.home = home;
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        // the JVM running the tests is a Java 21+; the wrapper's search without it is tested on its own
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    Path home() {
        return home;
    }

    Path executable() {
        return executable;
    }

    AfctlProcess env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Result run(String... args) {
        return runWithInput("", Duration.ofMinutes(10), args);
    }

    Result runWithInput(String stdin, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("afctl " + String.join(" ", args) + " did not end within " + timeout
                        + "; it printed: " + out.getNow("") + err.getNow(""));
            }
            return new Result(
                    process.exitValue(), out.join(), err.join(), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Reads a stream to its end on a thread of its own (never the common pool, which has one thread on 2 cores). */
    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                task -> Thread.ofPlatform().daemon().start(task));
    }
}
