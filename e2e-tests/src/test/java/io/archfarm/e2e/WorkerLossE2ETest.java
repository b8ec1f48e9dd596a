package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Two native workers; the one running the job dies mid-build, as a host does, and the other one finishes it. */
class WorkerLossE2ETest {

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "worker-loss",
                List.of(
                        new Farm.WorkerSpec("native-a", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("native-b", "linux/amd64", "none", 1)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aJobOfAKilledWorkerIsRetriedOnTheOtherWorker() {
        String repository = farm.git()
                .createRepository(
                        "slow",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage() + "RUN sleep 20\nRUN echo survived > /survived\n"));
        String id = farm.portal()
                .submitAccepted(Map.of(
                        "repository",
                        repository,
                        "ref",
                        "main",
                        "image",
                        farm.registry() + "/e2e/slow",
                        "platforms",
                        List.of("linux/amd64")));

        String victim = await("a worker runs the job's RUN sleep")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> runningSleep(), worker -> worker != null);
        farm.process("worker-" + victim).kill();
        String survivor = victim.equals("native-a") ? "native-b" : "native-a";

        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, Duration.ofMinutes(5));

        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        JsonNode job = BuildAwait.platform(build, "linux/amd64");
        assertThat(job.path("worker").asString()).isEqualTo(survivor);
        assertThat(job.path("attempt").asInt()).isEqualTo(2);

        List<Map<String, Object>> attempts = farm.database()
                .query(
                        "select a.attempt, a.worker_id, a.outcome, "
                                + "a.started_at, a.finished_at from job_attempts a join platform_jobs j on j.id = a.job_id "
                                + "where j.build_id = ? order by a.attempt",
                        UUID.fromString(id));
        assertThat(attempts).extracting(row -> row.get("attempt")).containsExactly(1, 2);
        Map<String, Object> first = attempts.get(0);
        Map<String, Object> second = attempts.get(1);
        assertThat(first.get("worker_id")).isEqualTo(victim);
        assertThat(second.get("worker_id")).isEqualTo(survivor);
        assertThat(first.get("outcome")).as("attempt 1 of the silent worker").isEqualTo("LOST");
        assertThat(first.get("finished_at")).as("attempt 1 was closed").isNotNull();
        assertThat(((Timestamp) first.get("finished_at")).toInstant())
                .as("attempt 1 ended before attempt 2 started")
                .isBeforeOrEqualTo(((Timestamp) second.get("started_at")).toInstant());
    }

    /** The worker whose process tree runs the Containerfile's {@code sleep 20}, or null while none does. */
    private static String runningSleep() {
        for (String worker : List.of("native-a", "native-b")) {
            if (farm.process("worker-" + worker).hasDescendantRunning("sleep 20")) {
                return worker;
            }
        }
        return null;
    }
}
