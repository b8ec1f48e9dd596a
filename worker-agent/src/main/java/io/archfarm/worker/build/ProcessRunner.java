package io.archfarm.worker.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external command for an attempt: its output goes line by line to the job log, it is killed with its
 * whole process tree on timeout or when the attempt is stopped. Not final: tests record what would run.
 */
class ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    static final int KEPT_LINES = 40;
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    ProcessResult run(
            List<String> command,
            Path directory,
            Map<String, String> environment,
            Duration timeout,
            JobControl control,
            Consumer<String> lines)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        Deque<String> kept = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> pump(process, kept, lines));
        boolean timedOut = false;
        try {
            if (!control.attach(process)) {
                process.waitFor();
            } else if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                ProcessTree.kill(process);
                process.waitFor();
            }
            // a daemonised grandchild may keep the pipe open: don't wait for it forever
            reader.join(OUTPUT_DRAIN);
        } catch (InterruptedException e) {
            ProcessTree.kill(process);
            Thread.currentThread().interrupt();
        } finally {
            control.detach();
        }
        boolean stopped = control.stopped().isPresent();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // the program only: its arguments may hold build arguments
        LOG.debug("{} ({} arguments) ran {} ms", command.getFirst(), command.size() - 1, elapsed.toMillis());
        synchronized (kept) {
            return new ProcessResult(
                    process.isAlive() ? -1 : process.exitValue(),
                    timedOut && !stopped,
                    stopped,
                    List.copyOf(kept),
                    elapsed);
        }
    }

    private static void pump(Process process, Deque<String> kept, Consumer<String> lines) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (kept) {
                    kept.addLast(line);
                    if (kept.size() > KEPT_LINES) {
                        kept.removeFirst();
                    }
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process was killed while we read: what it printed so far is all there is
        }
    }
}
