package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Cache affinity with two real workers that both build linux/amd64 natively with one slot each, both polling: the
 * second build of a repository goes to the worker of the first (a hit); while that worker is busy, the other one takes
 * the next once the affinity wait ran out (a miss that names the preferred worker).
 */
class CacheAffinityE2ETest {

    private static final String AMD64 = "linux/amd64";
    private static final List<String> WORKERS = List.of("warm-a", "warm-b");
    private static final Duration BUILD_TIME = Duration.ofMinutes(3);

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "affinity",
                List.of(
                        new Farm.WorkerSpec(WORKERS.get(0), AMD64, "none", 1),
                        new Farm.WorkerSpec(WORKERS.get(1), AMD64, "none", 1)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void theNextBuildOfARepositoryGoesBackToTheWorkerThatBuiltItUnlessItIsBusy() {
        String repository = farm.git()
                .createRepository(
                        "warm",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage() + "ARG PAUSE=0\nRUN sleep $PAUSE\nRUN echo warm > /warm\n"));
        await("both workers online")
                .atMost(Duration.ofMinutes(1))
                .until(() -> WORKERS.stream().allMatch(farm.portal()::workerOnline));

        JsonNode first = platformJob(BuildAwait.untilEnded(farm.portal(), submit(repository, 0), BUILD_TIME));
        assertThat(first.path("affinity").asString())
                .as("no worker built it before")
                .isEqualTo("NONE");
        String warm = first.path("worker").asString();
        String other = warm.equals(WORKERS.get(0)) ? WORKERS.get(1) : WORKERS.get(0);

        JsonNode second = platformJob(BuildAwait.untilEnded(farm.portal(), submit(repository, 0), BUILD_TIME));
        assertThat(second.path("worker").asString())
                .as("the worker that built it, although both poll")
                .isEqualTo(warm);
        assertThat(second.path("affinity").asString()).isEqualTo("HIT");
        assertThat(second.path("preferredWorker").asString()).isEqualTo(warm);

        // the warm worker's only slot is taken by a long build of the same repository (offered to it, a hit too)
        String slow = submit(repository, 25);
        await("the slow build running on " + warm)
                .atMost(BUILD_TIME)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> platformJob(farm.portal().build(slow))
                        .path("status")
                        .asString()
                        .equals("RUNNING"));
        assertThat(platformJob(farm.portal().build(slow)).path("worker").asString())
                .isEqualTo(warm);

        JsonNode third = platformJob(BuildAwait.untilEnded(farm.portal(), submit(repository, 0), BUILD_TIME));
        assertThat(third.path("worker").asString())
                .as("the other worker, once the affinity wait ran out")
                .isEqualTo(other);
        assertThat(third.path("affinity").asString()).isEqualTo("MISS");
        assertThat(third.path("preferredWorker").asString())
                .as("a miss names the worker it preferred")
                .isEqualTo(warm);
        JsonNode queueWait = third.path("phases").path("queueWait");
        assertThat(queueWait.asLong())
                .as("queued to claimed: the affinity wait (3s) and a tick")
                .isBetween(2_500L, 10_000L);

        JsonNode slowJob = platformJob(BuildAwait.untilEnded(farm.portal(), slow, BUILD_TIME));
        assertThat(slowJob.path("affinity").asString()).isEqualTo("HIT");
    }

    private static String submit(String repository, int pauseSeconds) {
        return farm.portal()
                .submitAccepted(Map.of(
                        "repository",
                        repository,
                        "ref",
                        "main",
                        "image",
                        farm.registry() + "/e2e/warm",
                        "platforms",
                        List.of(AMD64),
                        "buildArgs",
                        Map.of("PAUSE", Integer.toString(pauseSeconds))));
    }

    /** The build's linux/amd64 job, once the build succeeded if it ended. */
    private static JsonNode platformJob(JsonNode build) {
        String status = build.path("status").asString();
        assertThat(status).as("build %s", build).isNotIn("FAILED", "PARTIAL", "CANCELLED");
        return BuildAwait.platform(build, AMD64);
    }
}
