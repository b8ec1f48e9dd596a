package io.archfarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real terminal for a command: a tmux server of the test's own (its own socket, no user configuration) running the
 * command in a window of a set size, whose screen can be read as the terminal shows it at that moment, colours
 * included. A program that redraws in place is seen as a person sees it, not as the bytes it wrote.
 */
final class Tmux implements AutoCloseable {

    /** The server's socket, in a directory of its own that {@link #close} deletes. */
    private final Path socket;

    /** Starts {@code command} (run by sh) in a {@code columns} x {@code lines} window with {@code env} set. */
    Tmux(String command, int columns, int lines, Map<String, String> env) {
        try {
            socket = Files.createTempDirectory("afctl-tmux").resolve("socket");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> tmux = new ArrayList<>(List.of(
                "tmux",
                "-S",
                socket.toString(),
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                Integer.toString(columns),
                "-y",
                Integer.toString(lines)));
        env.forEach((name, value) -> tmux.addAll(List.of("-e", name + "=" + value)));
        tmux.add(command);
        run(tmux);
    }

    /** The screen as it is now, each line with its colours as ANSI escapes. */
    String screen() {
        return run(List.of("tmux", "-S", socket.toString(), "capture-pane", "-p", "-e", "-t", "main"));
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server")
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
