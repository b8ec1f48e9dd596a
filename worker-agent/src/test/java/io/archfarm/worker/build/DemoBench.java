package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.worker.testing.GitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The demo's build for the worker's benchmarks: the farm's busybox base image in {@code registry}, and
 * {@code examples/hello} committed to a repository of its own, pointing at that registry.
 */
record DemoBench(GitRepository repository, String commit, LocalRegistry registry) {

    static DemoBench prepare(Path dir, LocalRegistry registry) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProbeNamespace.run(
                Duration.ofMinutes(10),
                root.resolve("scripts/base-image.sh").toString(),
                registry.address(),
                "archfarm/busybox");
        GitRepository repository = GitRepository.create(dir.resolve("hello"));
        String containerfile = Files.readString(root.resolve("examples/hello/Containerfile"))
                .replace("127.0.0.1:5000/", registry.address() + "/");
        return new DemoBench(repository, repository.commit(Map.of("Containerfile", containerfile)), registry);
    }

    /** One platform job from claim to pushed image, as the worker reports it (startedAt to finishedAt). */
    long build(JobRunner runner, String platform) {
        JobAssignment job = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                platform,
                repository.url(),
                "main",
                commit,
                false,
                "Containerfile",
                ".",
                Map.of("GREETING", "bench"),
                registry.address() + "/bench/hello",
                600);
        List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
        JobFinished finished = runner.run(
                job, ExecutionMode.NATIVE, new JobControl(job.jobId(), 1), new JobLog(job.jobId(), 1, chunks::add));
        assertThat(finished.outcome())
                .as(chunks.stream().map(JobLogChunk::text).collect(Collectors.joining()))
                .isEqualTo(JobOutcome.SUCCEEDED);
        return Duration.between(finished.startedAt(), finished.finishedAt()).toMillis();
    }
}
