package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.worker.testing.GitRepository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The worker's git cache on real git repositories (served over {@code file://}, git's own pack protocol): a second
 * build fetches only the new objects, concurrent jobs of one repository both get their trees, a corrupt mirror is
 * fetched again, and the least recently used mirror goes when the cache is over its size.
 */
class GitCacheTest {

    private static final Pattern FETCHED = Pattern.compile("git cache miss: fetched (\\d+) objects");

    @TempDir
    Path dir;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
    private GitRepository project;

    @BeforeEach
    void aProjectWithSomeHistory() throws Exception {
        project = GitRepository.create(dir.resolve("project"));
        for (int i = 0; i < 5; i++) {
            Map<String, String> files = new HashMap<>();
            for (int f = 0; f < 10; f++) {
                files.put("src/file" + f + ".txt", "version " + i + " of file " + f + "\n");
            }
            project.commit(files);
        }
    }

    @Test
    void theSecondBuildFetchesOnlyTheObjectsOfTheNewCommit() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String first = project.commit(Map.of("Containerfile", "FROM scratch\n"));

        String firstLog = fetch(fetcher, first, "one");
        long firstObjects = fetchedObjects(firstLog);
        String second = project.commit(Map.of("new.txt", "one new file\n"));
        String secondLog = fetch(fetcher, second, "two");
        String thirdLog = fetch(fetcher, second, "three");

        // the tip commit, its root tree and 11 blobs, 'src' tree
        assertThat(firstObjects).isEqualTo(14);
        // the new commit, the new root tree and the new blob: nothing the mirror already had
        assertThat(fetchedObjects(secondLog)).isEqualTo(3);
        assertThat(thirdLog)
                .contains("git cache hit: " + second + " was already in this worker's mirror, fetched 0" + " objects");
        assertThat(dir.resolve("checkout-two/new.txt")).hasContent("one new file");
        assertThat(dir.resolve("checkout-three/src/file3.txt")).hasContent("version 4 of file 3");
        assertThat(dir.resolve("checkout-one/new.txt"))
                .as("one job's checkout is not another's")
                .doesNotExist();
        assertThat(mirrors()).hasSize(1);
    }

    /** A build may run git on its context (a version stamp, Go's VCS stamping): the commit must be in it. */
    @Test
    void theJobsRepositoryHasTheCommitsObjectsOfItsOwn() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String commit = project.commit(Map.of("Containerfile", "FROM scratch\n"));
        fetch(fetcher, commit, "own");

        FileSystemUtils.deleteRecursively(dir.resolve("work/git-cache"));

        Path checkout = dir.resolve("checkout-own");
        assertThat(checkout.resolve(".git/objects/info/alternates")).doesNotExist();
        assertThat(git(checkout, "rev-parse", "HEAD")).isEqualTo(commit);
        assertThat(git(checkout, "status", "--porcelain")).isEmpty();
        assertThat(git(checkout, "show", "HEAD:src/file1.txt")).isEqualTo("version 4 of file 1");
    }

    @Test
    void twoConcurrentJobsOfOneRepositoryBothGetTheirOwnTree() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String a = project.commit(Map.of("which.txt", "a\n"));
        String b = project.commit(Map.of("which.txt", "b\n"));
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String suffix = "-" + round;
                Future<String> first = jobs.submit(() -> fetch(fetcher, a, "a" + suffix));
                Future<String> second = jobs.submit(() -> fetch(fetcher, b, "b" + suffix));
                first.get(60, TimeUnit.SECONDS);
                second.get(60, TimeUnit.SECONDS);
                assertThat(dir.resolve("checkout-a" + suffix + "/which.txt")).hasContent("a");
                assertThat(dir.resolve("checkout-b" + suffix + "/which.txt")).hasContent("b");
            }
        } finally {
            jobs.shutdownNow();
        }
        assertThat(mirrors()).hasSize(1);
    }

    @Test
    void aMirrorWhoseTreesAreCorruptIsDeletedAndFetchedAgain() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String first = project.commit(Map.of("Containerfile", "FROM scratch\n"));
        fetch(fetcher, first, "before");
        // the commit reads well, so the cache takes it for a hit; the checkout finds the last objects broken
        corruptPacks(mirrors().getFirst(), false);

        String again = fetch(fetcher, first, "after");
        String next = project.commit(Map.of("new.txt", "after the repair\n"));
        String nextLog = fetch(fetcher, next, "next");

        assertThat(again).contains("the mirror's objects are broken").contains("git cache miss: fetched 14 objects");
        assertThat(dir.resolve("checkout-after/Containerfile")).hasContent("FROM scratch");
        assertThat(fetchedObjects(nextLog)).isEqualTo(3);
        assertThat(dir.resolve("checkout-next/new.txt")).hasContent("after the repair");
    }

    @Test
    void aMirrorCorruptWhenANewCommitIsFetchedIsFetchedAgainFromScratch() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String first = project.commit(Map.of("Containerfile", "FROM scratch\n"));
        fetch(fetcher, first, "before");
        // the commit the mirror offers the server as what it has is unreadable
        corruptPacks(mirrors().getFirst(), true);
        String next = project.commit(Map.of("new.txt", "after the repair\n"));

        String log = fetch(fetcher, next, "next");

        assertThat(log).contains("git cache: the mirror is corrupt");
        assertThat(dir.resolve("checkout-next/new.txt")).hasContent("after the repair");
        assertThat(dir.resolve("checkout-next/Containerfile")).hasContent("FROM scratch");
    }

    @Test
    void theLeastRecentlyUsedMirrorIsEvictedWhenTheCacheIsOverItsSize() throws Exception {
        GitRepository other = GitRepository.create(dir.resolve("other"));
        String otherCommit = other.commit(Map.of("other.txt", "x".repeat(50_000)));
        GitRepository third = GitRepository.create(dir.resolve("third"));
        String thirdCommit = third.commit(Map.of("third.txt", "y".repeat(50_000)));
        String projectCommit = project.commit(Map.of("Containerfile", "FROM scratch\n"));
        SourceFetcher unbounded = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        fetch(unbounded, project.url(), projectCommit, "project");
        fetch(unbounded, other.url(), otherCommit, "other");
        Path projectMirror = mirrorOf(project);
        Path otherMirror = mirrorOf(other);
        Files.setLastModifiedTime(projectMirror, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(otherMirror, FileTime.from(Instant.now().minusSeconds(60)));
        long limit = GitCache.size(projectMirror) + GitCache.size(otherMirror) + 1;

        fetch(fetcher(limit), third.url(), thirdCommit, "third");

        assertThat(projectMirror).as("least recently used").doesNotExist();
        assertThat(otherMirror).exists();
        assertThat(mirrorOf(third)).as("the one just fetched stays").exists();
        assertThat(dir.resolve("checkout-third/third.txt")).exists();
    }

    @Test
    void submodulesOfACheckoutFromTheCacheAreFetchedAsWithout() throws Exception {
        GitRepository library = GitRepository.create(dir.resolve("library"));
        String libraryCommit = library.commit(Map.of("lib.txt", "from the submodule\n"));
        String commit = project.declareSubmodule("vendor/lib", library.url(), libraryCommit);
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);

        String first = fetch(fetcher, project.url(), commit, "first", true);
        String second = fetch(fetcher, project.url(), commit, "second", true);

        assertThat(first).contains("git cache miss", "fetched submodule vendor/lib at " + libraryCommit);
        assertThat(second).contains("git cache hit", "fetched submodule vendor/lib at " + libraryCommit);
        assertThat(dir.resolve("checkout-first/vendor/lib/lib.txt")).hasContent("from the submodule");
        assertThat(dir.resolve("checkout-second/vendor/lib/lib.txt")).hasContent("from the submodule");
    }

    @Test
    void manySmallFetchesAreConsolidatedIntoOnePack() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String last = null;
        for (int i = 0; i <= GitCache.MAX_PACKS + 1; i++) {
            last = project.commit(Map.of("step.txt", "step " + i + "\n"));
            fetch(fetcher, last, "step-" + i);
        }

        try (Stream<Path> packs = Files.list(mirrors().getFirst().resolve("objects/pack"))) {
            assertThat(packs.filter(p -> p.toString().endsWith(".pack")).count())
                    .isLessThanOrEqualTo(2);
        }
        fetch(fetcher, last, "after-repack");
        assertThat(dir.resolve("checkout-after-repack/step.txt")).hasContent("step " + (GitCache.MAX_PACKS + 1));
    }

    @Test
    void anUnknownCommitIsLookedForInTheRefAndFailsTheBuildNamingIt() throws Exception {
        SourceFetcher fetcher = fetcher(BuildSettings.DEFAULT_GIT_CACHE_BYTES);
        String unknown = "0".repeat(40);

        assertThatThrownBy(() -> fetch(fetcher, unknown, "unknown"))
                .isInstanceOf(JobFailure.class)
                .hasMessage("commit " + unknown + " is not in main of " + project.url())
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        String known = project.commit(Map.of("Containerfile", "FROM scratch\n"));
        assertThat(fetch(fetcher, known, "known")).contains("git cache miss");
        assertThat(dir.resolve("checkout-known/Containerfile")).hasContent("FROM scratch");
    }

    @Test
    void spellingsOfOneRepositoryShareAMirror() {
        assertThat(GitCache.key("https://Git.Example/team/app.git/"))
                .isEqualTo(GitCache.key("https://git.example/team/app"))
                .isNotEqualTo(GitCache.key("https://git.example/team/App"));
    }

    @Test
    void withTheCacheOffEveryJobFetchesIntoItsOwnDirectory() throws Exception {
        SourceFetcher fetcher = new SourceFetcher(
                new GitUrlPolicy(true),
                GitUrlPolicy.forSubmodules(true),
                new GitHosts(List.of(), host -> List.of()),
                Duration.ofSeconds(60));
        String commit = project.commit(Map.of("Containerfile", "FROM scratch\n"));

        String log = fetch(fetcher, commit, "uncached");

        assertThat(log).doesNotContain("git cache");
        assertThat(dir.resolve("checkout-uncached/Containerfile")).hasContent("FROM scratch");
        assertThat(dir.resolve("work/git-cache")).doesNotExist();
    }

    private SourceFetcher fetcher(long maxBytes) {
        BuildSettings settings = new BuildSettings(
                        "cache-test",
                        dir.resolve("work"),
                        dir.resolve("storage"),
                        Duration.ofSeconds(60),
                        true,
                        true,
                        List.of(),
                        dir.resolve("home"))
                .withGitCache(maxBytes);
        return new SourceFetcher(
                new GitUrlPolicy(true),
                GitUrlPolicy.forSubmodules(true),
                new GitHosts(List.of(), host -> List.of()),
                settings.gitTimeout(),
                settings.gitCacheRoot(),
                settings.gitCacheMaxBytes());
    }

    private String fetch(SourceFetcher fetcher, String commit, String name) throws JobFailure {
        return fetch(fetcher, project.url(), commit, name);
    }

    /** Runs one job's fetch and returns what it logged. */
    private String fetch(SourceFetcher fetcher, String url, String commit, String name) throws JobFailure {
        return fetch(fetcher, url, commit, name, false);
    }

    private String fetch(SourceFetcher fetcher, String url, String commit, String name, boolean withSubmodules)
            throws JobFailure {
        UUID jobId = UUID.randomUUID();
        JobLog log = new JobLog(jobId, 1, chunks::add);
        Attempt attempt = new Attempt(new JobControl(jobId, 1), log, new ProcessRunner(), 120);
        fetcher.fetch(attempt, url, "main", commit, withSubmodules, dir.resolve("checkout-" + name));
        log.flush();
        return chunks.stream()
                .filter(chunk -> chunk.jobId().equals(jobId))
                .map(JobLogChunk::text)
                .collect(Collectors.joining());
    }

    private static String git(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
        return output.strip();
    }

    private static long fetchedObjects(String log) {
        Matcher matcher = FETCHED.matcher(log);
        assertThat(matcher.find()).as("a cache miss in: " + log).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private List<Path> mirrors() throws IOException {
        try (Stream<Path> entries = Files.list(dir.resolve("work/git-cache"))) {
            return entries.filter(p -> p.toString().endsWith(".git")).toList();
        }
    }

    private Path mirrorOf(GitRepository repository) {
        return dir.resolve("work/git-cache").resolve(GitCache.key(repository.url()) + ".git");
    }

    /**
     * Overwrites 64 bytes of each pack of a mirror: right after the pack's header, where the commits are, or right
     * before its checksum, where the last blobs are. Git reads a pack's index, not its checksum, before an object.
     */
    private static void corruptPacks(Path mirror, boolean commits) throws IOException {
        try (Stream<Path> files = Files.list(mirror.resolve("objects/pack"))) {
            for (Path pack : files.filter(p -> p.toString().endsWith(".pack")).toList()) {
                try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "rw")) {
                    file.seek(commits ? 12 : file.length() - 20 - 64);
                    file.write(new byte[64]);
                }
            }
        }
    }
}
