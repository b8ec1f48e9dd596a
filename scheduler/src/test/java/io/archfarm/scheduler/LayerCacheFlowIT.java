package io.archfarm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.LayerCache;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobCache;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The layer cache's settings reach the workers on every assignment, and what a worker's cache did comes back into
 * {@code platform_jobs.cache}: real PostgreSQL and RabbitMQ, the test playing the portal and the workers. A context
 * of its own (no native wait to speak of), so that its platforms are free of {@link SchedulerFlowIT}'s jobs.
 */
@SpringBootTest(
        properties = {
            "archfarm.scheduler.tick=200ms",
            "archfarm.scheduler.outbox-interval=100ms",
            "archfarm.scheduler.native-wait=1s",
            "archfarm.scheduler.heartbeat-timeout=60s"
        })
@Import({ArchfarmTestServices.class, Farm.class})
class LayerCacheFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    Farm farm;

    @Autowired
    JsonMapper json;

    @Test
    void eachJobCarriesItsTeamsScopeAndWhatItsBuildAskedOfTheCache() {
        online("w-cache-amd", "linux/amd64");
        UUID team = farm.team("cachers");
        UUID uses = farm.requestBuildWithCache(team, List.of("linux/amd64"), true, false);
        UUID refreshes = farm.requestBuildWithCache(team, List.of("linux/amd64"), true, true);
        UUID off = farm.requestBuildWithCache(team, List.of("linux/amd64"), false, true);
        UUID adHoc = farm.requestBuildWithCache(null, List.of("linux/amd64"), true, false);

        Map<UUID, JobAssignment> byBuild = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            JobAssignment job = farm.takeAssignment("linux/amd64", ExecutionMode.NATIVE);
            byBuild.put(job.buildId(), job);
        }

        assertThat(byBuild.get(uses).cacheScope()).isEqualTo(team.toString());
        assertThat(byBuild.get(uses).layerCache()).isEqualTo(LayerCache.USE);
        assertThat(byBuild.get(refreshes).cacheScope()).isEqualTo(team.toString());
        assertThat(byBuild.get(refreshes).layerCache())
                .as("noCache builds again, keeps")
                .isEqualTo(LayerCache.REFRESH);
        assertThat(byBuild.get(off).layerCache())
                .as("the project's cache is off")
                .isEqualTo(LayerCache.OFF);
        assertThat(byBuild.get(adHoc).cacheScope()).as("a build of no team").isEqualTo(JobAssignment.NO_TEAM_SCOPE);
        assertThat(byBuild.get(adHoc).layerCache()).isEqualTo(LayerCache.USE);
    }

    @Test
    void whatTheCacheDidIsKeptWithTheJobMadeFitToShow() {
        online("w-cache-arm", "linux/arm64");
        farm.requestBuildWithCache(farm.team("keepers"), List.of("linux/arm64"), true, false);
        JobAssignment job = farm.takeAssignment("linux/arm64", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-cache-arm", ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        List<JobCache.Step> steps = new ArrayList<>(List.of(
                new JobCache.Step("1/3", "FROM base", true),
                new JobCache.Step("2/3", "RUN echo <b>\u001b[31mred</b>", true),
                new JobCache.Step("3/3", "COPY . /app", false)));

        finished(job, new JobCache("USE", job.cacheScope() + "/linux/arm64/0", steps));

        await().atMost(WAIT).until(() -> farm.job(job.jobId()).get("cache") != null);
        Map<String, Object> cache = json.readValue(
                farm.job(job.jobId()).get("cache").toString(), new TypeReference<Map<String, Object>>() {});
        assertThat(cache)
                .containsEntry("layerCache", "USE")
                .containsEntry("store", job.cacheScope() + "/linux/arm64/0");
        assertThat(cache.get("steps")).asList().hasSize(3);
        assertThat(farm.jdbc()
                        .sql("""
                        select string_agg(s->>'step' || ' ' || (s->>'hit') || ' ' || (s->>'instruction'), '|')
                        from platform_jobs, jsonb_array_elements(cache->'steps') s where id = :j""")
                        .param("j", job.jobId())
                        .query(String.class)
                        .single())
                .as("steps in order; the escape character a worker sent is gone, the markup is left to the page")
                .isEqualTo("1/3 true FROM base|2/3 true RUN echo <b> [31mred</b>|3/3 false COPY . /app");
    }

    @Test
    void aWorkersCacheModeTheFarmDoesNotKnowAndOverlongStepsAreCut() {
        online("w-cache-ppc", "linux/ppc64le");
        farm.requestBuildWithCache(null, List.of("linux/ppc64le"), true, false);
        JobAssignment job = farm.takeAssignment("linux/ppc64le", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-cache-ppc", ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        List<JobCache.Step> steps = new ArrayList<>();
        for (int i = 1; i <= 600; i++) {
            steps.add(new JobCache.Step(i + "/600", "RUN " + "x".repeat(300), false));
        }

        finished(job, new JobCache("EVERYTHING", "adhoc/linux/ppc64le/1", steps));

        await().atMost(WAIT).until(() -> farm.job(job.jobId()).get("cache") != null);
        assertThat(farm.jdbc()
                        .sql("""
                        select coalesce(cache->>'layerCache', 'absent') || ' ' || jsonb_array_length(cache->'steps')
                               || ' ' || length(cache->'steps'->0->>'instruction')
                        from platform_jobs where id = :j""")
                        .param("j", job.jobId())
                        .query(String.class)
                        .single())
                .isEqualTo("absent 500 200");
    }

    @Test
    void aRetryForgetsTheCacheOfTheAttemptBefore() {
        online("w-cache-386", "linux/386");
        UUID buildId = farm.requestBuildWithCache(null, List.of("linux/386"), true, false);
        JobAssignment job = farm.takeAssignment("linux/386", ExecutionMode.NATIVE);
        assertThat(farm.claim(job.jobId(), 1, "w-cache-386", ExecutionMode.NATIVE)
                        .granted())
                .isTrue();
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        1,
                        "w-cache-386",
                        JobOutcome.FAILED,
                        null,
                        0,
                        null,
                        "RUN step exited with 1",
                        1,
                        Instant.now(),
                        Instant.now(),
                        10,
                        null,
                        null,
                        new JobCache(
                                "USE", "adhoc/linux/386/0", List.of(new JobCache.Step("1/1", "RUN false", false)))));
        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat(farm.job(job.jobId()).get("cache")).isNotNull();

        farm.requestRetry(buildId);

        JobAssignment again = farm.takeAssignment("linux/386", ExecutionMode.NATIVE);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.layerCache()).as("a retry builds as its build asked").isEqualTo(LayerCache.USE);
        assertThat(farm.job(job.jobId()).get("cache")).isNull();
    }

    /** A failed attempt, which keeps the test clear of the merge (its registry is not there). */
    private void finished(JobAssignment job, JobCache cache) {
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        job.attempt(),
                        "w-worker",
                        JobOutcome.FAILED,
                        null,
                        0,
                        null,
                        "RUN step exited with 1",
                        1,
                        Instant.now(),
                        Instant.now(),
                        10,
                        "netns, egress none",
                        null,
                        cache));
    }

    private void online(String workerId, String platform) {
        farm.heartbeat(workerId, List.of(platform), List.of(), List.of());
        await("worker " + workerId + " online")
                .atMost(WAIT)
                .until(() -> farm.jdbc()
                                .sql("select count(*) from workers where id = :id and status = 'ONLINE'")
                                .param("id", workerId)
                                .query(Long.class)
                                .single()
                        == 1);
    }
}
