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
 * second build of a repository goes to the worker of the first (a hit); with that worker drained, the other one takes
 * the next (a miss that names the preferred worker).
 */
class CacheAffinityE2ETest {

    private static final String AMD64 = "linux/amd64";
    private static final List<String> WORKERS = List.of("warm-a", "warm-b");

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start("affinity", List.of(
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
    void theNextBuildOfARepositoryGoesBackToTheWorkerThatBuiltItUnlessItDrains() {
        String repository = farm.git().createRepository("warm", Map.of("Containerfile",
                farm.fromBaseImage() + "RUN echo warm > /warm\n"));
        await("both workers online").atMost(Duration.ofMinutes(1))
                .until(() -> WORKERS.stream().allMatch(farm.portal()::workerOnline));

        JsonNode first = built(repository);
        assertThat(first.path("affinity").asString()).as("no worker built it before").isEqualTo("NONE");
        String warm = first.path("worker").asString();
        String other = warm.equals(WORKERS.get(0)) ? WORKERS.get(1) : WORKERS.get(0);

        JsonNode second = built(repository);
        assertThat(second.path("worker").asString()).as("the worker that built it, although both poll")
                .isEqualTo(warm);
        assertThat(second.path("affinity").asString()).isEqualTo("HIT");
        assertThat(second.path("preferredWorker").asString()).isEqualTo(warm);

        assertThat(farm.portal().post("/api/v1/workers/" + warm + "/drain", Map.of()).status()).isEqualTo(202);
        await(warm + " draining").atMost(Duration.ofSeconds(30)).until(() -> status(warm).equals("DRAINING"));
        JsonNode third = built(repository);
        assertThat(third.path("worker").asString()).isEqualTo(other);
        assertThat(third.path("affinity").asString()).isEqualTo("MISS");
        assertThat(third.path("preferredWorker").asString()).as("a miss names the worker it preferred")
                .isEqualTo(warm);
    }

    /** Builds the repository's main for linux/amd64 and returns its platform job once the build succeeded. */
    private static JsonNode built(String repository) {
        String id = farm.portal().submitAccepted(Map.of("repository", repository, "ref", "main",
                "image", farm.registry() + "/e2e/warm", "platforms", List.of(AMD64)));
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, Duration.ofMinutes(3));
        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        return BuildAwait.platform(build, AMD64);
    }

    private static String status(String worker) {
        for (JsonNode each : farm.portal().workers()) {
            if (each.path("id").asString().equals(worker)) {
                return each.path("status").asString();
            }
        }
        return "";
    }
}
