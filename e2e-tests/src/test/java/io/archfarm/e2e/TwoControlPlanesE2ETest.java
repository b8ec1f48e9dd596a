package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two portals and two schedulers active at once on one database and one broker, as a farm runs them for
 * availability: builds come in through either portal, both schedulers take messages from the same queues, and every
 * job is still dispatched and claimed once and every build merged once.
 */
class TwoControlPlanesE2ETest {

    private static final int BUILDS = 6;
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
    private static final Pattern MERGED = Pattern.compile("build ([0-9a-f-]{36}) ended (\\w+)");

    private static Farm farm;
    private static PortalClient secondPortal;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "two-control-planes",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64", 2)));
        secondPortal = farm.startAnotherPortal("portal-2");
        farm.startAnotherScheduler("scheduler-2");
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void buildsThroughEitherPortalAreDispatchedClaimedAndMergedOnce() {
        String repository = farm.git()
                .createRepository(
                        "two", Map.of("Containerfile", farm.fromBaseImage() + "ARG N=0\nRUN echo \"$N\" > /n\n"));
        List<PortalClient> portals = List.of(farm.portal(), secondPortal);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BUILDS; i++) {
            ids.add(portals.get(i % 2)
                    .submitAccepted(Map.of(
                            "repository",
                            repository,
                            "ref",
                            "main",
                            "image",
                            farm.registry() + "/e2e/two-" + i,
                            "platforms",
                            PLATFORMS,
                            "buildArgs",
                            Map.of("N", Integer.toString(i)))));
        }

        for (int i = 0; i < BUILDS; i++) {
            // each build is followed on the portal that did not take it: they read one database
            JsonNode build = BuildAwait.untilEnded(portals.get((i + 1) % 2), ids.get(i), Duration.ofMinutes(5));
            assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        }

        List<Map<String, Object>> attempts = farm.database()
                .query(
                        "select j.id, j.platform, count(a.attempt) as n"
                                + " from platform_jobs j left join job_attempts a on a.job_id = j.id"
                                + " where j.build_id = any(?::uuid[]) group by j.id, j.platform",
                        (Object) ids.toArray(String[]::new));
        assertThat(attempts).hasSize(BUILDS * PLATFORMS.size());
        assertThat(attempts)
                .as("attempts per job: each job claimed once")
                .allSatisfy(job -> assertThat(((Number) job.get("n")).intValue())
                        .as("job %s", job)
                        .isEqualTo(1));

        List<Map<String, Object>> indexes = farm.database()
                .query("select build_id from manifest_lists" + " where build_id = any(?::uuid[])", (Object)
                        ids.toArray(String[]::new));
        assertThat(indexes).hasSize(BUILDS);

        Map<String, List<String>> mergedBy = new LinkedHashMap<>();
        for (String scheduler : List.of("scheduler", "scheduler-2")) {
            assertThat(farm.process(scheduler).isAlive())
                    .as(scheduler + " runs")
                    .isTrue();
            mergedBy.put(scheduler, mergesIn(scheduler, ids));
        }
        List<String> merges = mergedBy.values().stream().flatMap(List::stream).toList();
        assertThat(merges)
                .as("each build ended by one merge, on one of the schedulers: %s", mergedBy)
                .containsExactlyInAnyOrderElementsOf(ids);
        System.out.printf(
                "two control planes: %d builds, merged by scheduler %d and scheduler-2 %d%n",
                BUILDS,
                mergedBy.get("scheduler").size(),
                mergedBy.get("scheduler-2").size());
    }

    /** The builds of {@code ids} the scheduler's log says it ended, once per line. */
    private static List<String> mergesIn(String scheduler, List<String> ids) {
        List<String> ended = new ArrayList<>();
        try {
            Matcher m = MERGED.matcher(Files.readString(farm.process(scheduler).log()));
            while (m.find()) {
                if (ids.contains(m.group(1))) {
                    ended.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ended;
    }
}
