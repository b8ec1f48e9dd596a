package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The fault suite (issue 13, part 2): a stream of two-platform builds (amd64 native, arm64 emulated) while each part
 * of the farm is killed with SIGKILL in turn and started again: a worker, the scheduler, the portal, the registry,
 * RabbitMQ, PostgreSQL, then the other worker. The farm runs on services of its own
 * ({@link Farm#startOnOwnServices}), so that killing its database or broker touches nothing else on the machine.
 * <p>
 * Then: every build the portal accepted SUCCEEDED within {@link #RECOVERY_BOUND} of the last restart; every build's
 * tag serves the index the farm recorded for it, whose images hold that build's own file; no job had two attempts at
 * once, and no job succeeded twice. A submission refused while the portal or its database is down is sent again,
 * as a client would; one whose answer was lost may have been recorded too, so the checks look at every build the
 * database holds, and at each tag's newest build.
 * <p>
 * The short form runs in CI ({@code archfarm.faults.builds}, 14 builds, a submission every
 * {@code archfarm.faults.interval} of 10 s, so the stream spans the whole round of kills); scripts/fault-suite.sh
 * runs the long form (100 builds) and prints the figures this class writes to {@code archfarm.faults.out}.
 */
class FaultSuiteE2ETest {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
    private static final List<String> PARTS =
            List.of("worker-fault-a", "scheduler", "portal", "registry", "rabbitmq", "postgresql", "worker-fault-b");
    /** How long each part stays dead before it is started again. */
    private static final Duration DOWN = Duration.ofSeconds(5);
    /** How long the farm runs whole between two kills. */
    private static final Duration BETWEEN = Duration.ofSeconds(6);

    private static final Duration RECOVERY_BOUND = Duration.ofMinutes(5);

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    private final int builds = Integer.getInteger("archfarm.faults.builds", 14);
    private final Duration interval = Duration.ofMillis(Long.getLong("archfarm.faults.interval", 10_000));
    /** The part that is down or starting again now, or "" while the farm is whole: for the figures. */
    private volatile String down = "";

    private final Map<String, String> acceptedWhile = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startFarm() {
        farm = Farm.startOnOwnServices(
                "faults",
                List.of(
                        new Farm.WorkerSpec("fault-a", "linux/amd64", "linux/arm64", 2),
                        new Farm.WorkerSpec("fault-b", "linux/amd64", "linux/arm64", 2)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void everyAcceptedBuildSucceedsWithItsOwnImageWhileEachPartIsKilledInTurn() throws Exception {
        String repository = farm.git()
                .createRepository(
                        "faults",
                        Map.of(
                                "Containerfile",
                                farm.fromBaseImage()
                                        + "ARG BUILD\nLABEL io.archfarm.fault.build=$BUILD\nRUN echo \"$BUILD\" > /build-id\n"));
        String image = farm.registry() + "/faults/app";
        Instant start = Instant.now();

        ExecutorService submitter = Executors.newSingleThreadExecutor();
        Future<?> stream = submitter.submit(() -> submitStream(repository, image));
        Map<String, Duration> outages = new LinkedHashMap<>();
        for (String part : PARTS) {
            Thread.sleep(BETWEEN.toMillis());
            outages.put(part, killAndRestart(part));
        }
        Instant recovered = Instant.now();
        stream.get(builds * interval.toMillis() + Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
        submitter.shutdown();

        List<Map<String, Object>> recorded = await("every recorded build ended")
                .atMost(RECOVERY_BOUND)
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(
                        FaultSuiteE2ETest::recordedBuilds,
                        rows -> rows.stream()
                                .allMatch(row -> List.of("SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED")
                                        .contains((String) row.get("status"))));
        Duration afterRecovery = Duration.between(recovered, Instant.now());

        String figures = figures(outages, recorded, Duration.between(start, recovered), afterRecovery);
        System.out.println(figures);
        String out = System.getProperty("archfarm.faults.out");
        if (out != null) {
            Files.writeString(Path.of(out), figures);
        }

        assertThat(acceptedWhile).as("accepted builds").hasSize(builds);
        assertThat(recorded)
                .as("every recorded build, accepted or with its answer lost")
                .allSatisfy(row -> assertThat(row.get("status"))
                        .as("build %s: %s", row.get("id"), row.get("error"))
                        .isEqualTo("SUCCEEDED"));
        assertEachTagServesItsNewestBuild(image, recorded);
        assertNoAttemptsOverlapAndNoJobSucceededTwice();
    }

    /** Submits build 1..n, one every interval; a refused submission is sent again a second later, for a while. */
    private void submitStream(String repository, String image) {
        for (int n = 1; n <= builds; n++) {
            long due = System.nanoTime() + interval.toNanos();
            Map<String, Object> request = Map.of(
                    "repository",
                    repository,
                    "ref",
                    "main",
                    "image",
                    image,
                    "platforms",
                    PLATFORMS,
                    "tags",
                    List.of("build-" + n),
                    "buildArgs",
                    Map.of("BUILD", "b" + n));
            Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
            while (true) {
                String refusal;
                try {
                    PortalClient.Answer answer = farm.portal().submit(request);
                    if (answer.status() == 202) {
                        acceptedWhile.put(answer.json().path("id").asString(), down);
                        break;
                    }
                    if (answer.status() < 500) {
                        throw new AssertionError("build " + n + " refused: " + answer.status() + " " + answer.body());
                    }
                    refusal = answer.status() + " " + answer.body();
                } catch (UncheckedIOException | IllegalStateException e) {
                    refusal = e.getMessage();
                }
                refusals.add("build " + n + " while " + (down.isEmpty() ? "whole" : down + " down") + ": " + refusal);
                if (Instant.now().isAfter(giveUp)) {
                    throw new AssertionError("build " + n + " was refused for 3 minutes: " + refusal);
                }
                sleep(Duration.ofSeconds(1));
            }
            sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
        }
    }

    /** SIGKILL, {@link #DOWN} dead, started again and healthy: returns how long the part was not serving. */
    private Duration killAndRestart(String part) throws IOException {
        Instant killed = Instant.now();
        down = part;
        System.err.println("[archfarm faults] killing " + part);
        switch (part) {
            case "registry" -> farm.plainRegistry().kill();
            case "rabbitmq" -> farm.ownBroker().kill();
            case "postgresql" -> farm.ownPostgres().kill();
            default -> farm.process(part).kill();
        }
        sleep(DOWN);
        switch (part) {
            case "registry" -> farm.plainRegistry().restart();
            case "rabbitmq" -> farm.ownBroker().restart();
            case "postgresql" -> farm.ownPostgres().restart();
            default -> farm.restart(part);
        }
        Duration outage = Duration.between(killed, Instant.now());
        System.err.println("[archfarm faults] " + part + " back after " + outage.toMillis() + " ms");
        down = "";
        return outage;
    }

    private static List<Map<String, Object>> recordedBuilds() {
        return farm.database()
                .query("select b.id::text as id, b.status, b.error, b.tags::text as tags,"
                        + " b.accepted_seq, b.created_at, b.finished_at, m.digest as index_digest"
                        + " from builds b left join manifest_lists m on m.build_id = b.id order by b.accepted_seq");
    }

    /**
     * Each tag's newest build (by the order the farm accepted them: a lost answer may have led to a second build of
     * the same request) is what the registry serves under it, and each of its platform images holds that build's
     * own file.
     */
    private static void assertEachTagServesItsNewestBuild(String image, List<Map<String, Object>> recorded) {
        String repository = image.substring(image.indexOf('/') + 1);
        Map<String, Map<String, Object>> newestByTag = new LinkedHashMap<>();
        for (Map<String, Object> row : recorded) {
            String tags = (String) row.get("tags");
            newestByTag.put(tags.substring(2, tags.length() - 2), row);
        }
        RegistryClient registry = farm.registryClient();
        for (Map.Entry<String, Map<String, Object>> tag : newestByTag.entrySet()) {
            Map<String, Object> build = tag.getValue();
            RegistryClient.Manifest served = registry.manifest(repository, tag.getKey());
            assertThat(served.digest())
                    .as("tag %s serves build %s's index", tag.getKey(), build.get("id"))
                    .isEqualTo(build.get("index_digest"));
            JsonNode index = served.json();
            assertThat(index.path("manifests"))
                    .as("tag %s's index", tag.getKey())
                    .hasSize(PLATFORMS.size());
            String own = "b" + tag.getKey().substring("build-".length());
            for (JsonNode entry : index.path("manifests")) {
                assertThat(registry.readFile(repository, entry.path("digest").asString(), "/build-id"))
                        .as("/build-id of tag %s, %s", tag.getKey(), entry.path("platform"))
                        .contains(own + "\n");
            }
        }
    }

    private static void assertNoAttemptsOverlapAndNoJobSucceededTwice() {
        List<Map<String, Object>> attempts = farm.database()
                .query("select job_id::text as job, attempt, outcome,"
                        + " started_at, finished_at from job_attempts order by job_id, attempt");
        Map<String, Object> previous = null;
        Map<String, Integer> successes = new LinkedHashMap<>();
        for (Map<String, Object> attempt : attempts) {
            String job = (String) attempt.get("job");
            if ("SUCCEEDED".equals(attempt.get("outcome"))) {
                successes.merge(job, 1, Integer::sum);
            }
            if (previous != null && previous.get("job").equals(job)) {
                assertThat(previous.get("finished_at"))
                        .as(
                                "attempt %s of job %s was closed before attempt %s",
                                previous.get("attempt"), job, attempt.get("attempt"))
                        .isNotNull();
                assertThat(((Timestamp) previous.get("finished_at")).toInstant())
                        .as(
                                "attempt %s of job %s ended before attempt %s started",
                                previous.get("attempt"), job, attempt.get("attempt"))
                        .isBeforeOrEqualTo(((Timestamp) attempt.get("started_at")).toInstant());
            }
            previous = attempt;
        }
        assertThat(successes)
                .as("jobs that succeeded more than once")
                .allSatisfy((job, count) ->
                        assertThat(count).as("successes of job %s", job).isOne());
    }

    private String figures(
            Map<String, Duration> outages,
            List<Map<String, Object>> recorded,
            Duration stream,
            Duration afterRecovery) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "fault suite: %d builds of %s submitted over %d s while each part was"
                        + " killed (SIGKILL), %d s dead, and started again%n",
                builds,
                PLATFORMS,
                stream.toSeconds(),
                DOWN.toSeconds()));
        out.append(String.format(
                Locale.ROOT,
                "%-16s %12s %16s %10s%n",
                "part killed",
                "not serving",
                "accepted meanwhile",
                "succeeded"));
        for (Map.Entry<String, Duration> outage : outages.entrySet()) {
            List<String> meanwhile = acceptedWhile.entrySet().stream()
                    .filter(e -> e.getValue().equals(outage.getKey()))
                    .map(Map.Entry::getKey)
                    .toList();
            long succeeded = recorded.stream()
                    .filter(row -> meanwhile.contains(row.get("id")) && "SUCCEEDED".equals(row.get("status")))
                    .count();
            out.append(String.format(
                    Locale.ROOT,
                    "%-16s %10.1f s %16d %10d%n",
                    outage.getKey(),
                    outage.getValue().toMillis() / 1000.0,
                    meanwhile.size(),
                    succeeded));
        }
        Map<String, Long> byStatus = new LinkedHashMap<>();
        recorded.forEach(row -> byStatus.merge((String) row.get("status"), 1L, Long::sum));
        long attempts = (long) farm.database()
                .query("select count(*) as n from job_attempts")
                .getFirst()
                .get("n");
        long retried = (long) farm.database()
                .query("select count(*) as n from job_attempts where attempt > 1")
                .getFirst()
                .get("n");
        out.append(String.format(
                Locale.ROOT,
                "builds accepted %d, recorded %d %s; job attempts %d (%d retries);"
                        + " submissions refused and sent again %d%n",
                acceptedWhile.size(),
                recorded.size(),
                byStatus,
                attempts,
                retried,
                refusals.size()));
        out.append(String.format(
                Locale.ROOT,
                "every build ended %d s after the last part was back (bound %d s)%n",
                afterRecovery.toSeconds(),
                RECOVERY_BOUND.toSeconds()));
        List<Duration> durations = new ArrayList<>();
        for (Map<String, Object> row : recorded) {
            if (row.get("finished_at") != null) {
                durations.add(Duration.between(
                        ((Timestamp) row.get("created_at")).toInstant(),
                        ((Timestamp) row.get("finished_at")).toInstant()));
            }
        }
        durations.sort(null);
        if (!durations.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "build time, submission to end: median %.1f s, max %.1f s%n",
                    durations.get(durations.size() / 2).toMillis() / 1000.0,
                    durations.getLast().toMillis() / 1000.0));
        }
        return out.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
