package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the git cache saves a job's fetch (from the first git command to the checked-out tree): a repository of
 * {@value #COMMITS} commits and a few MB served by {@code git daemon} on loopback, fetched without the cache, cold
 * (an empty cache) and warm (the mirror has the previous commit; one file changed) and again (the same commit).
 * scripts/git-cache-benchmark.sh runs it; its name matches neither the unit nor the integration tests.
 */
class GitCacheBenchmark {

    private static final int COMMITS = 200;
    private static final int FILES = 40;

    @TempDir
    Path dir;

    /** What the last fetch logged about the cache. */
    private String lastCacheLine = "";

    @Test
    void coldAndWarmFetches() throws Exception {
        RequiredTools.require("git");
        int runs = Integer.getInteger("archfarm.bench.runs", 5);
        GitRepository repository = GitRepository.create(dir.resolve("served/project"));
        List<String> commits = history(repository, COMMITS + runs);
        int port = freePort();
        Process daemon = new ProcessBuilder(
                        "git",
                        "daemon",
                        "--reuseaddr",
                        "--export-all",
                        "--base-path=" + dir.resolve("served"),
                        "--listen=127.0.0.1",
                        "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
            String url = "git://127.0.0.1:" + port + "/project";
            String base = commits.get(COMMITS - 1);
            List<Long> uncached = new ArrayList<>();
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            List<Long> hit = new ArrayList<>();
            Map<String, String> sizes = new HashMap<>();
            SourceFetcher warmFetcher = fetcher("warm");
            fetch(warmFetcher, url, base);
            for (int run = 0; run < runs; run++) {
                uncached.add(fetch(fetcher(null), url, base));
                cold.add(fetch(fetcher("cold-" + run), url, base));
                sizes.put("cache cold", lastCacheLine);
                warm.add(fetch(warmFetcher, url, commits.get(COMMITS + run)));
                sizes.put("cache warm (1 new commit)", lastCacheLine);
                hit.add(fetch(warmFetcher, url, commits.get(COMMITS + run)));
            }
            report(
                    runs,
                    Map.of(
                            "no cache",
                            uncached,
                            "cache cold",
                            cold,
                            "cache warm (1 new commit)",
                            warm,
                            "cache hit (same commit)",
                            hit),
                    sizes);
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Commits that each change one of {@value #FILES} files of 64 KiB of incompressible text. */
    private static List<String> history(GitRepository repository, int count) throws Exception {
        Random random = new Random(12);
        Map<String, String> files = new HashMap<>();
        for (int f = 0; f < FILES; f++) {
            files.put("src/file" + f + ".txt", text(random, 64 * 1024));
        }
        List<String> commits = new ArrayList<>();
        commits.add(repository.commit(files));
        for (int i = 1; i < count; i++) {
            commits.add(repository.commit(Map.of("src/file" + (i % FILES) + ".txt", text(random, 64 * 1024))));
        }
        return commits;
    }

    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(i % 80 == 79 ? '\n' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private SourceFetcher fetcher(String cache) {
        return new SourceFetcher(
                new GitUrlPolicy(false),
                GitUrlPolicy.forSubmodules(false),
                new GitHosts(List.of("127.0.0.1"), host -> List.of()),
                Duration.ofSeconds(60),
                cache == null ? null : dir.resolve("caches").resolve(cache),
                BuildSettings.DEFAULT_GIT_CACHE_BYTES);
    }

    /** One job's fetch, in ms. */
    private long fetch(SourceFetcher fetcher, String url, String commit) throws Exception {
        UUID jobId = UUID.randomUUID();
        List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
        JobLog log = new JobLog(jobId, 1, chunks::add);
        Path checkout = dir.resolve("checkouts").resolve(jobId.toString());
        long started = System.nanoTime();
        fetcher.fetch(
                new Attempt(new JobControl(jobId, 1), log, new ProcessRunner(), 300),
                url,
                "main",
                commit,
                false,
                checkout);
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.flush();
        lastCacheLine = chunks.stream()
                .map(JobLogChunk::text)
                .flatMap(String::lines)
                .filter(line -> line.startsWith("git cache"))
                .findFirst()
                .orElse("");
        assertThat(checkout.resolve("src/file0.txt"))
                .as(chunks.stream().map(JobLogChunk::text).collect(Collectors.joining()))
                .exists();
        return millis;
    }

    private static void report(int runs, Map<String, List<Long>> millis, Map<String, String> sizes) throws Exception {
        StringBuilder out = new StringBuilder("git fetch of one job, " + COMMITS + " commits, " + FILES
                + " files of 64 KiB, git daemon on loopback: ms, median of " + runs + " [min..max]\n");
        for (String name : List.of("no cache", "cache cold", "cache warm (1 new commit)", "cache hit (same commit)")) {
            List<Long> sorted = millis.get(name).stream().sorted().toList();
            out.append(String.format(
                    "%-28s %8d %16s  %s%n",
                    name,
                    sorted.get(sorted.size() / 2),
                    "[" + sorted.getFirst() + ".." + sorted.getLast() + "]",
                    sizes.getOrDefault(name, "")));
        }
        System.out.print(out);
        Path target = Path.of(System.getProperty("archfarm.bench.out", "target/git-cache-benchmark.txt"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, out);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
