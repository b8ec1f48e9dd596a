package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.LayerCache;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobCache;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer cache on the real tools: buildah with {@code --layers} in stores per team, a registry the test starts,
 * the farm's busybox base image in it. The Containerfile's RUN burns CPU, its last COPY takes a file that the second
 * commit changes.
 */
class LayerCacheIT {

    private static final String RUN = "RUN i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo burnt > /burn";
    /** A RUN whose layer differs each time it runs: a step taken from the cache shows by its content too. */
    private static final String RUN_WITH_X = "RUN echo \"x=$X $(date +%s%N)\" > /x";

    private static final Pattern STEP = Pattern.compile("^(?:\\[\\d+/\\d+] )?STEP (\\d+/\\d+): (?!FROM )");
    private static final Pattern STEP_HIT = Pattern.compile("^--> Using cache ([0-9a-f]{64})$");

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static GitRepository repository;
    static String first;
    static String second;
    static Path storageRoot;
    static StorageDriver driver;
    static JobRunner runner;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void aRegistryWithTheBaseImageAndTwoCommits() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        ProbeNamespace.run(
                Duration.ofMinutes(10),
                Path.of("..")
                        .toAbsolutePath()
                        .normalize()
                        .resolve("scripts/base-image.sh")
                        .toString(),
                registry.address(),
                "archfarm/busybox");
        repository = GitRepository.create(dir.resolve("repo"));
        first = repository.commit(Map.of(
                "app/Containerfile",
                        "FROM " + registry.address() + "/archfarm/busybox\n" + RUN + "\nCOPY app.txt /app.txt\n",
                "app/app.txt", "one\n",
                "derived/Containerfile", "FROM " + registry.address() + "/team/base:1\nRUN cat /content\n",
                "base/Containerfile",
                        "FROM " + registry.address() + "/archfarm/busybox\nARG CONTENT\n"
                                + "RUN echo \"content $CONTENT\" > /content\n",
                "failing/Containerfile", "FROM " + registry.address() + "/archfarm/busybox\n" + RUN + "\nRUN exit 3\n",
                "failing/fixed.Containerfile",
                        "FROM " + registry.address() + "/archfarm/busybox\n" + RUN + "\nRUN exit 0\n",
                "refresh/Containerfile",
                        "FROM " + registry.address() + "/archfarm/busybox\nARG X=0\n" + RUN_WITH_X + "\nCOPY f /f\n",
                "refresh/f", "f\n",
                "refresh/failing.Containerfile",
                        "FROM " + registry.address() + "/archfarm/busybox\nARG X=0\n" + RUN_WITH_X + "\nRUN exit 3\n"));
        second = repository.commit(Map.of("app/app.txt", "two\n"));
        Path workDir = dir.resolve("worker");
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of(registry.address()));
        storageRoot = workDir.resolve("storage");
        driver = StorageDriverDetection.choose("auto", storageRoot);
        runner = new JobRunner(new BuildSettings(
                        "it-worker",
                        workDir,
                        storageRoot,
                        Duration.ofSeconds(60),
                        true,
                        true,
                        List.of(registry.address()),
                        containersHome)
                .withStorageDriver(driver));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * The issue's case: the same team builds again with only the last COPY changed, and the expensive RUN comes from
     * the cache. Another team's build of the same commit sees none of it; {@code --no-cache} builds everything
     * again, and the build after it hits again.
     */
    @Test
    void aTeamsSecondBuildTakesTheExpensiveStepFromItsOwnCacheOnly() {
        JobFinished cold = run(job("team-a", first, LayerCache.USE));
        assertThat(cold.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(cold.cache().steps()).extracting(JobCache.Step::hit).containsExactly(false, false);

        JobFinished warm = run(job("team-a", second, LayerCache.USE));
        assertThat(warm.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(warm.cache().steps())
                .containsExactly(
                        new JobCache.Step("2/3", RUN, true), new JobCache.Step("3/3", "COPY app.txt /app.txt", false));
        assertThat(warm.cache().layerCache()).isEqualTo("USE");
        assertThat(warm.cache().store()).isEqualTo("team-a/linux-amd64/1");
        assertThat(log()).contains("layer cache: 1 of 2 steps from the cache (store team-a/linux-amd64/1)");
        assertThat(warm.digest()).isNotEqualTo(cold.digest());

        JobFinished otherTeam = run(job("team-b", second, LayerCache.USE));
        assertThat(otherTeam.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(otherTeam.cache().hits()).as("another team's layers").isZero();
        assertThat(otherTeam.cache().store()).isEqualTo("team-b/linux-amd64/1");

        JobFinished refreshed = run(job("team-a", second, LayerCache.REFRESH));
        assertThat(refreshed.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(refreshed.cache().hits()).as("--no-cache").isZero();
        assertThat(refreshed.cache().layerCache()).isEqualTo("REFRESH");

        JobFinished again = run(job("team-a", second, LayerCache.USE));
        assertThat(again.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(again.cache().steps())
                .as("after the refresh")
                .allMatch(JobCache.Step::hit)
                .hasSize(2);
        assertThat(again.digest())
                .as("the image the --no-cache build made, taken whole from the cache")
                .isEqualTo(refreshed.digest());
    }

    /**
     * A failed build records the steps it got to, leaves no working container behind, and keeps the layers it
     * committed: the fixed build takes the expensive step from the cache.
     */
    @Test
    void aFailedBuildKeepsItsLayersAndRecordsItsSteps() throws Exception {
        JobFinished failed = run(job("team-fail", first, LayerCache.USE, "failing/Containerfile", "failing"));
        assertThat(failed.outcome()).as(log()).isEqualTo(JobOutcome.FAILED);
        assertThat(failed.cache().steps())
                .extracting(JobCache.Step::instruction)
                .containsExactly(RUN, "RUN exit 3");
        Process containers = new ProcessBuilder(buildah("team-fail/linux-amd64/1", "containers", "-q"))
                .redirectErrorStream(true)
                .start();
        String left = new String(containers.getInputStream().readAllBytes()).strip();
        assertThat(containers.waitFor()).as(left).isZero();
        assertThat(left).as("working containers").isEmpty();

        JobFinished fixed = run(job("team-fail", first, LayerCache.USE, "failing/fixed.Containerfile", "failing"));
        assertThat(fixed.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(fixed.cache().steps()).extracting(JobCache.Step::hit).containsExactly(true, false);
    }

    /**
     * The farm's bug as measured: after a --no-cache build, buildah took the older chain of the first step (the ARG,
     * made by the build with X=a and taken from the cache by the one with X=b) and, above it, the older RUN; now the
     * older chains on that step go, and the next build takes every step from the refreshed build's images.
     */
    @Test
    void afterARefreshTheNextBuildTakesTheRefreshedImages() throws Exception {
        StepRun a = build("team-refresh", LayerCache.USE, "a");
        StepRun b = build("team-refresh", LayerCache.USE, "b");
        assertThat(b.finished().cache().steps())
                .as("what buildah does: the ARG from X=a's build, the RUN of X=b not")
                .extracting(JobCache.Step::hit)
                .containsExactly(true, false, false);
        assertThat(b.hits().get("2/4")).isIn(a.made());
        Set<String> older = images("team-refresh/linux-amd64/1").images().keySet();

        StepRun refreshed = build("team-refresh", LayerCache.REFRESH, "b");
        assertThat(refreshed.finished().cache().hits()).as("--no-cache").isZero();
        assertThat(refreshed.made()).hasSize(3);
        assertThat(refreshed.log()).contains("layer cache: --no-cache replaced 5 older cached images");
        StoreImages after = images("team-refresh/linux-amd64/1");
        Set<String> left = new HashSet<>(after.images().keySet());
        left.retainAll(older);
        assertThat(left)
                .as("of the older images only the base image stays")
                .hasSize(1)
                .allMatch(id -> after.images().get(id).named());

        StepRun again = build("team-refresh", LayerCache.USE, "b");
        assertThat(again.finished().cache().steps())
                .extracting(JobCache.Step::hit)
                .containsExactly(true, true, true);
        assertThat(again.hits().values())
                .as("the images the --no-cache build committed")
                .containsExactlyInAnyOrderElementsOf(refreshed.made());
        assertThat(again.finished().digest()).isEqualTo(refreshed.finished().digest());

        StepRun otherArgs = build("team-refresh", LayerCache.USE, "a");
        assertThat(otherArgs.finished().cache().steps())
                .as("X=a's chain stood on the replaced ARG and went with it")
                .extracting(JobCache.Step::hit)
                .containsExactly(true, false, false);
        assertThat(otherArgs.hits().get("2/4")).isIn(refreshed.made());
    }

    /** The stale case: the older chain matches every step, and a later build went back to all of it. */
    @Test
    void aRefreshWithTheSameArgumentsReplacesTheWholeOlderChain() throws Exception {
        StepRun older = build("team-refresh-same", LayerCache.USE, "a");
        StepRun refreshed = build("team-refresh-same", LayerCache.REFRESH, "a");
        assertThat(refreshed.log()).contains("layer cache: --no-cache replaced 3 older cached images");
        assertThat(images("team-refresh-same/linux-amd64/1").images())
                .doesNotContainKeys(older.made().toArray(String[]::new));

        StepRun again = build("team-refresh-same", LayerCache.USE, "a");
        assertThat(again.finished().cache().hits()).isEqualTo(3);
        assertThat(again.hits().values())
                .as("not the older chain")
                .containsExactlyInAnyOrderElementsOf(refreshed.made());
    }

    /** A failed --no-cache build made its steps fresh too: the fixed build takes them, not the older ones. */
    @Test
    void aFailedRefreshReplacesTheStepsItGotTo() throws Exception {
        StepRun older = build("team-refresh-failed", LayerCache.USE, "a", "refresh/failing.Containerfile");
        assertThat(older.finished().outcome()).isEqualTo(JobOutcome.FAILED);
        StepRun refreshed = build("team-refresh-failed", LayerCache.REFRESH, "a", "refresh/failing.Containerfile");
        assertThat(refreshed.finished().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(refreshed.log()).contains("layer cache: --no-cache replaced 2 older cached images");

        StepRun fixed = build("team-refresh-failed", LayerCache.USE, "a");
        assertThat(fixed.finished().cache().steps())
                .extracting(JobCache.Step::hit)
                .containsExactly(true, true, false);
        assertThat(fixed.hits().values()).containsExactlyInAnyOrderElementsOf(refreshed.made());
    }

    /**
     * A build of the refresh Containerfile: its log, the image each step took from the cache (buildah names only
     * those: with {@code --iidfile} it does not print the ids of the steps it commits) and the images it made.
     */
    private record StepRun(JobFinished finished, String log, Map<String, String> hits, Set<String> made) {}

    private StepRun build(String scope, LayerCache cache, String x) throws Exception {
        StepRun run = build(scope, cache, x, "refresh/Containerfile");
        assertThat(run.finished().outcome()).as(run.log()).isEqualTo(JobOutcome.SUCCEEDED);
        return run;
    }

    private StepRun build(String scope, LayerCache cache, String x, String containerfile) throws Exception {
        String store = scope + "/linux-amd64/1";
        Set<String> before = images(store).images().keySet();
        chunks.clear();
        JobAssignment job = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                first,
                false,
                containerfile,
                "refresh",
                Map.of("X", x),
                registry.address() + "/cache-it/refresh",
                600,
                scope,
                cache);
        JobFinished finished = run(job);
        Map<String, String> hits = new LinkedHashMap<>();
        String step = null;
        for (String line : log().split("\n")) {
            Matcher stepLine = STEP.matcher(line);
            Matcher hit = STEP_HIT.matcher(line);
            if (stepLine.find()) {
                step = stepLine.group(1);
            } else if (hit.matches() && step != null) {
                hits.put(step, hit.group(1));
            }
        }
        Set<String> made = new HashSet<>(images(store).images().keySet());
        made.removeAll(before);
        made.removeIf(id -> {
            try {
                return images(store).images().get(id).named();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new StepRun(finished, log(), hits, made);
    }

    /** The scope comes from the scheduler's message: one that is no plain name fails the job before any build. */
    @Test
    void aScopeThatIsNoNameFailsTheJob() {
        JobFinished finished = run(job("../team-a", first, LayerCache.USE));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error()).startsWith("the job's cache scope '../team-a' is invalid");
        assertThat(finished.cache()).as("it did not get to build").isNull();
    }

    /** A project without the cache keeps nothing of its build; the base image it pulled stays. */
    @Test
    void withTheCacheOffNothingOfTheBuildIsKept() throws Exception {
        JobFinished off = run(job("team-off", first, LayerCache.OFF));
        assertThat(off.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(off.cache().hits()).isZero();

        StoreImages images = images("team-off/linux-amd64/1");
        assertThat(images.images().values())
                .as("only the base image")
                .hasSize(1)
                .allMatch(StoreImages.Image::named);

        JobFinished offAgain = run(job("team-off", second, LayerCache.OFF));
        assertThat(offAgain.cache().hits()).isZero();
        assertThat(log())
                .doesNotContain("Trying to pull " + registry.address() + "/archfarm/busybox:latest\n"
                        + "Getting image source signatures\nCopying blob");
    }

    /** A FROM whose tag moved on the registry is pulled again at its new digest; the old layers do not hit. */
    @Test
    void aFromWhoseTagMovedIsFollowed() throws Exception {
        tagBase("A");
        JobFinished withA = run(derived());
        assertThat(withA.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(log()).contains("content A");

        tagBase("B");
        chunks.clear();
        JobFinished withB = run(derived());
        assertThat(withB.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(log()).contains("content B").doesNotContain("content A");
        assertThat(withB.cache().hits()).as("a RUN on another base").isZero();

        chunks.clear();
        JobFinished unchanged = run(derived());
        assertThat(unchanged.cache().hits()).as("the tag did not move").isEqualTo(1);
    }

    /** Over a bound, the least recently used image that nothing stands on goes first, until the stores are under. */
    @Test
    void evictionBringsTheStoresUnderTheBoundOldestFirst() throws Exception {
        assertThat(run(job("team-evict", first, LayerCache.USE)).outcome())
                .as(log())
                .isEqualTo(JobOutcome.SUCCEEDED);
        Set<String> firstBuild = images("team-evict/linux-amd64/1").leaves();
        assertThat(run(job("team-evict", second, LayerCache.USE)).outcome())
                .as(log())
                .isEqualTo(JobOutcome.SUCCEEDED);
        Set<String> leaves = images("team-evict/linux-amd64/1").leaves();
        assertThat(leaves).hasSize(2).containsAll(firstBuild);

        ImageStores stores = new ImageStores(storageRoot, driver);
        long before = total(stores);
        long bound = before - 1;
        List<EvictLayerCache.Evicted> evicted;
        try (EvictLayerCache eviction = new EvictLayerCache(stores, bound, dir)) {
            evicted = eviction.evict();
        }

        assertThat(evicted).isNotEmpty();
        assertThat(evicted.getFirst().imageId()).as("the older build's image").isIn(firstBuild);
        assertThat(evicted.getFirst().freedBytes()).isPositive();
        assertThat(total(stores)).isLessThanOrEqualTo(bound);
        assertThat(images("team-evict/linux-amd64/1").images())
                .as("the newer build's image stays")
                .containsKeys(
                        leaves.stream().filter(l -> !firstBuild.contains(l)).toArray(String[]::new));
    }

    private static long total(ImageStores stores) {
        return stores.storeDirectories().stream()
                .mapToLong(EvictLayerCache::diskUse)
                .sum();
    }

    private static StoreImages images(String store) throws Exception {
        Path root = storageRoot.resolve(store).resolve(driver == StorageDriver.VFS ? "root" : "overlay-root");
        return StoreImages.read(root, driver);
    }

    /** Builds the base image with {@code content} and moves {@code team/base:1} to it, as another team's CI would. */
    private void tagBase(String content) throws Exception {
        JobAssignment base = new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                first,
                false,
                "base/Containerfile",
                "base",
                Map.of("CONTENT", content),
                registry.address() + "/team/base",
                600,
                "base-maker",
                LayerCache.OFF);
        JobFinished built = run(base);
        assertThat(built.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        Process copy = new ProcessBuilder(
                        "skopeo",
                        "copy",
                        "--src-tls-verify=false",
                        "--dest-tls-verify=false",
                        "docker://" + registry.address() + "/team/base@" + built.digest(),
                        "docker://" + registry.address() + "/team/base:1")
                .redirectErrorStream(true)
                .start();
        String output = new String(copy.getInputStream().readAllBytes());
        assertThat(copy.waitFor()).as(output).isZero();
    }

    private JobAssignment derived() {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                first,
                false,
                "derived/Containerfile",
                "derived",
                Map.of(),
                registry.address() + "/team/derived",
                600,
                "team-from",
                LayerCache.USE);
    }

    private JobAssignment job(String scope, String commit, LayerCache cache) {
        return job(scope, commit, cache, "app/Containerfile", "app");
    }

    private JobAssignment job(String scope, String commit, LayerCache cache, String containerfile, String context) {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                commit,
                false,
                containerfile,
                context,
                Map.of(),
                registry.address() + "/cache-it/app",
                600,
                scope,
                cache);
    }

    private static List<String> buildah(String store, String... arguments) {
        Path dir = storageRoot.resolve(store);
        String prefix = driver == StorageDriver.VFS ? "" : driver.flag() + "-";
        List<String> command = new ArrayList<>(List.of(
                "buildah",
                "--storage-driver",
                driver.flag(),
                "--root",
                dir.resolve(prefix + "root").toString(),
                "--runroot",
                dir.resolve(prefix + "run").toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private JobFinished run(JobAssignment job) {
        return runner.run(
                job,
                ExecutionMode.NATIVE,
                new JobControl(job.jobId(), job.attempt()),
                new JobLog(job.jobId(), job.attempt(), chunks::add));
    }

    private String log() {
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }
}
