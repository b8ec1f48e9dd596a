package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private static final List<String> TWO_SLEEPERS = List.of("sh", "-c", "echo started; sleep 60 & sleep 60");

    @TempDir
    Path dir;

    private final ProcessRunner runner = new ProcessRunner();
    private final JobControl control = new JobControl(UUID.randomUUID(), 1);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Test
    void streamsOutputLineByLineAndReportsTheExitCode() throws Exception {
        ProcessResult result = runner.run(
                List.of("sh", "-c", "echo one; echo two >&2; exit 3"),
                dir,
                Map.of(),
                Duration.ofSeconds(30),
                control,
                lines::add);
        assertThat(lines).containsExactlyInAnyOrder("one", "two");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void passesTheEnvironment() throws Exception {
        runner.run(
                List.of("sh", "-c", "echo $ARCHFARM_TEST"),
                dir,
                Map.of("ARCHFARM_TEST", "yes"),
                Duration.ofSeconds(30),
                control,
                lines::add);
        assertThat(lines).containsExactly("yes");
    }

    @Test
    void aStopKillsTheWholeProcessTree() {
        CompletableFuture<ProcessResult> run = CompletableFuture.supplyAsync(() -> runQuietly(Duration.ofMinutes(5)));
        List<ProcessHandle> tree = awaitTreeOfThree();

        control.stop(JobOutcome.CANCELLED, "cancelled by test");

        ProcessResult result = run.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(result.stopped()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() {
        CompletableFuture<ProcessResult> run = CompletableFuture.supplyAsync(() -> runQuietly(Duration.ofSeconds(3)));
        List<ProcessHandle> tree = awaitTreeOfThree();

        ProcessResult result = run.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(result.timedOut()).isTrue();
        assertThat(result.stopped()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aStopBeforeTheProcessStartsKillsItAtOnce() throws Exception {
        control.stop(JobOutcome.INFRA_FAILED, "worker shutting down");
        ProcessResult result = runner.run(TWO_SLEEPERS, dir, Map.of(), Duration.ofMinutes(5), control, lines::add);
        assertThat(result.stopped()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(30));
    }

    private List<ProcessHandle> awaitTreeOfThree() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> control.currentProcess()
                        .map(p -> p.descendants().count() == 2)
                        .orElse(false));
        Process shell = control.currentProcess().orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(shell.descendants().toList());
        tree.add(shell.toHandle());
        assertThat(tree).hasSize(3).allMatch(ProcessHandle::isAlive);
        return tree;
    }

    private ProcessResult runQuietly(Duration timeout) {
        try {
            return runner.run(TWO_SLEEPERS, dir, Map.of(), timeout, control, lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
