package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A scraper on the farm's host reads the portal's, the scheduler's and a worker's {@code /actuator/prometheus}, and
 * a build moves what each shows; every series the Grafana dashboard draws is there; the worker's tools reach the
 * fleet API and the build's platform job.
 */
class MetricsE2ETest {

    private static final String AMD64 = "linux/amd64";
    private static final Duration BUILD_TIME = Duration.ofMinutes(3);

    private static Farm farm;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start("metrics", List.of(new Farm.WorkerSpec("scraped", AMD64, "none", 1)));
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aBuildMovesThePartsMetrics() {
        String jobs = "archfarm_worker_jobs_total{mode=\"NATIVE\",outcome=\"SUCCEEDED\",platform=\"linux/amd64\","
                + "worker=\"scraped\"}";
        String durations = "archfarm_job_duration_seconds_count{mode=\"NATIVE\",outcome=\"SUCCEEDED\","
                + "platform=\"linux/amd64\"}";
        double succeededBefore = value(scrape("portal"), "archfarm_builds{status=\"SUCCEEDED\"}");
        assertThat(value(scrape("worker-scraped"), "archfarm_worker_slots{worker=\"scraped\"}"))
                .isEqualTo(1);

        String repository = farm.git()
                .createRepository(
                        "scraped", Map.of("Containerfile", farm.fromBaseImage() + "RUN echo scraped > /scraped\n"));
        String id = farm.portal()
                .submitAccepted(Map.of(
                        "repository",
                        repository,
                        "ref",
                        "main",
                        "image",
                        farm.registry() + "/e2e/scraped",
                        "platforms",
                        List.of(AMD64)));
        JsonNode build = BuildAwait.untilEnded(farm.portal(), id, BUILD_TIME);
        assertThat(build.path("status").asString()).as("build %s", build).isEqualTo("SUCCEEDED");

        assertThat(value(scrape("worker-scraped"), jobs)).isEqualTo(1);
        String scheduler = scrape("scheduler");
        assertThat(value(scheduler, durations)).isEqualTo(1);
        assertThat(value(
                        scheduler,
                        "archfarm_dispatch_latency_seconds_count{mode=\"NATIVE\"," + "platform=\"linux/amd64\"}"))
                .isEqualTo(1);
        assertThat(value(scheduler, "archfarm_fleet_slots")).isEqualTo(1);
        await("the portal's gauge read again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> value(scrape("portal"), "archfarm_builds{status=\"SUCCEEDED\"}") == succeededBefore + 1);

        assertThat(farm.portal().post("/hooks/nobody/nothing/github", Map.of()).status())
                .isEqualTo(404);
        String all = scrape("portal") + scrape("scheduler") + scrape("worker-scraped");
        assertThat(dashboardMetrics())
                .as("every metric the Grafana dashboard draws is scraped")
                .allSatisfy(name -> assertThat(all).containsPattern("(?m)^" + name + "[{ ]"));

        JsonNode tools = BuildAwait.platform(build, AMD64).path("tools");
        assertThat(tools.path("buildah").asString()).as("what the job ran with").matches("\\d+\\.\\d+.*");
        JsonNode fleet = farm.portal().workers();
        assertThat(fleet.get(0).path("tools"))
                .as("the worker's tools, as its heartbeats say")
                .isEqualTo(tools);
    }

    /** The archfarm_ series docs/grafana/archfarm.json queries. */
    private static Set<String> dashboardMetrics() {
        try {
            Matcher names = Pattern.compile("archfarm_[a-z_]+")
                    .matcher(Files.readString(Farm.repositoryRoot().resolve("docs/grafana/archfarm.json")));
            Set<String> found = new TreeSet<>();
            while (names.find()) {
                found.add(names.group());
            }
            assertThat(found).as("the dashboard's queries").hasSizeGreaterThan(10);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String scrape(String part) {
        HttpResponse<byte[]> answer = Http.send(Http.get(farm.actuatorBase(part) + "/actuator/prometheus"));
        assertThat(answer.statusCode()).as(part + " /actuator/prometheus").isEqualTo(200);
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    /** The value of one series in a scrape; 0 when it is not there yet. */
    private static double value(String scrape, String series) {
        Matcher line =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
