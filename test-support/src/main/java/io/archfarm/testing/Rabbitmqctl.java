package io.archfarm.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code rabbitmqctl} against one RabbitMQ node: the machine's own broker (the local test services), or a
 * {@link PrivateRabbitNode}. Passwords go through standard input, never the command line.
 */
public final class Rabbitmqctl {

    private static final long TIMEOUT_SECONDS = 60;

    private final List<String> command;
    private final Map<String, String> environment;

    private Rabbitmqctl(List<String> command, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /** The broker of this machine, as {@code rabbitmqctl} on the PATH reaches it (as root, or as rabbitmq). */
    public static Rabbitmqctl localBroker() {
        RequiredTools.require("rabbitmqctl");
        return new Rabbitmqctl(List.of("rabbitmqctl"), Map.of());
    }

    /** A node of its own: its name, and the environment (HOME with its Erlang cookie) its tools need. */
    public static Rabbitmqctl node(String executable, String nodeName, Map<String, String> environment) {
        return new Rabbitmqctl(List.of(executable, "-n", nodeName), environment);
    }

    /** Runs one command and returns its output; fails, with that output, unless it exits 0. */
    public String run(String... arguments) {
        return runWithInput(null, arguments);
    }

    /** As {@link #run}, writing {@code input} (a password) to the command's standard input. */
    public String runWithInput(String input, String... arguments) {
        List<String> line = new ArrayList<>(command);
        line.add("-q");
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write((input + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", line) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", line) + " exited " + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", line) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", line), e);
        }
    }
}
