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
 * The simulated fleet's short form, in CI: 50 simulated workers on the real broker against the real portal,
 * scheduler, PostgreSQL and registry; 30 builds of 3 platforms through the API and signed push webhooks. Every build
 * SUCCEEDED on the simulated workers, each job in one attempt, and each of its tags serves its own index: the one the
 * build recorded, naming the build's commit and the real images the workers reported.
 */
class SimulatedFleetE2ETest {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final int BUILDS = 30;

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start("simulated-fleet", List.of());
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void fiftySimulatedWorkersBuildThirtyBuildsAndEveryTagServesItsOwnIndex() {
        SimulatedBuilds builds = new SimulatedBuilds(farm, "sim", PLATFORMS, List.of(farm.portal()));
        List<String> repositories = builds.createProjects(3);
        Map<String, SimulatedImages.Image> images = SimulatedImages.pushOnce(farm.registry(), PLATFORMS, repositories);
        SimulatedFleet.Settings settings =
                new SimulatedFleet.Settings(50, 1, PLATFORMS, Duration.ofMillis(200), Duration.ofSeconds(2), 10, 2);

        try (SimulatedFleet fleet = SimulatedFleet.start(settings, farm.prefix(), images)) {
            List<SimulatedBuilds.Submitted> submitted = builds.submit(10, BUILDS, Duration.ofSeconds(30), 3, 4);

            assertThat(submitted)
                    .hasSize(BUILDS)
                    .allSatisfy(s -> assertThat(s.accepted()).as("%s", s).isTrue());
            assertThat(submitted).filteredOn(s -> s.via().equals("webhook")).hasSize(BUILDS / 3);
            List<String> ids =
                    submitted.stream().map(SimulatedBuilds.Submitted::buildId).toList();
            await("every build ended")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ended(ids) == BUILDS);
            for (String id : ids) {
                assertBuiltOnTheFleetAndPublished(id, images);
            }
            assertThat(farm.database().query("select count(*) as n from job_attempts"))
                    .first()
                    .extracting(row -> ((Number) row.get("n")).intValue())
                    .as("one attempt per job")
                    .isEqualTo(BUILDS * PLATFORMS.size());
            assertThat(fleet.counters.granted.get()).as("%s", fleet.counters).isEqualTo(BUILDS * PLATFORMS.size());
            assertThat(fleet.counters.finished.get()).as("%s", fleet.counters).isEqualTo(BUILDS * PLATFORMS.size());
            assertThat(fleet.counters.errors.get() + fleet.counters.nacked.get() + fleet.counters.returned.get())
                    .as("%s", fleet.counters)
                    .isZero();
        }
    }

    private static long ended(List<String> ids) {
        return farm
                .database()
                .query(
                        "select count(*) as n from builds where id = any(?::uuid[])"
                                + " and status in ('SUCCEEDED', 'FAILED', 'PARTIAL', 'CANCELLED')",
                        (Object) ids.toArray(String[]::new))
                .stream()
                .mapToLong(row -> ((Number) row.get("n")).longValue())
                .sum();
    }

    private static void assertBuiltOnTheFleetAndPublished(String id, Map<String, SimulatedImages.Image> images) {
        JsonNode build = farm.portal().build(id);
        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");
        for (String platform : PLATFORMS) {
            JsonNode job = BuildAwait.platform(build, platform);
            assertThat(job.path("mode").asString()).as("%s of %s", platform, id).isEqualTo("NATIVE");
            assertThat(job.path("worker").asString())
                    .as("%s of %s", platform, id)
                    .startsWith("sim-");
        }
        JsonNode manifestList = build.path("manifestList");
        String digest = manifestList.path("digest").asString();
        String repository =
                build.path("image").asString().substring(farm.registry().length() + 1);
        List<String> tags =
                manifestList.path("tags").valueStream().map(JsonNode::asString).toList();
        assertThat(tags).as("tags of %s", id).hasSize(1);
        RegistryClient registry = farm.registryClient();
        for (String tag : tags) {
            RegistryClient.Manifest index = registry.manifest(repository, tag);
            assertThat(index.digest())
                    .as("%s:%s", repository, tag)
                    .isEqualTo(digest)
                    .isEqualTo(index.computedDigest());
            assertThat(index.json()
                            .path("annotations")
                            .path("org.opencontainers.image.revision")
                            .asString())
                    .as("%s:%s", repository, tag)
                    .isEqualTo(build.path("commit").asString());
            assertThat(index.json()
                            .path("manifests")
                            .valueStream()
                            .map(m -> m.path("digest").asString())
                            .toList())
                    .as("%s:%s", repository, tag)
                    .containsExactlyInAnyOrderElementsOf(images.values().stream()
                            .map(SimulatedImages.Image::digest)
                            .toList());
        }
    }
}
