package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The worker's mirrors of the repositories it builds: one bare repository per normalised URL under
 * {@code <workDir>/git-cache/<sha256>.git}, into which a job fetches (shallow) only the commit it needs, so that the
 * next build of the project receives only the objects that are new. A fetch into a mirror holds the mirror's lock
 * (a {@link ReentrantLock} for the jobs of this worker, a {@link FileChannel#lock() file lock} for any other process
 * on the same work directory); a job whose commit is already there takes no lock. Jobs never write into a mirror
 * otherwise: a checkout only reads its objects (see {@link SourceFetcher}). A mirror that git finds corrupt is deleted
 * and fetched once more from scratch. The mirrors together are kept under a size limit by deleting the least recently
 * used ones that no job is using.
 */
final class GitCache {

    private static final Logger LOG = LoggerFactory.getLogger(GitCache.class);
    /** What git says about objects it cannot read: the mirror, not the server, is broken. */
    private static final Pattern CORRUPTION = Pattern.compile(
            "corrupt|bad object|inflate|unable to read|did not receive expected object|index-pack failed"
                    + "|invalid (?:object|sha1 pointer)|missing (?:blob|tree|commit) |loose object|packfile .* cannot"
                    + "|bad packed object|unknown object type|not a git packfile",
            Pattern.CASE_INSENSITIVE);
    /** Refs that keep fetched commits alive and offered as "have" to the server; older ones are dropped. */
    static final int KEPT_REFS = 32;
    /** Packs in a mirror beyond which a fetch consolidates them into one. */
    static final int MAX_PACKS = 16;

    private static final String REFS = "refs/archfarm/";

    private final Path root;
    private final long maxBytes;
    private final Git git;
    private final Map<Path, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<Path, AtomicInteger> users = new ConcurrentHashMap<>();

    GitCache(Path root, long maxBytes, Git git) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.git = git;
    }

    /** How much a fetch added to a mirror. */
    record Fetched(boolean hit, long objects, long kibibytes) {}

    /** The mirror of {@code url}, marked in use (never evicted) until the use is closed. */
    Use use(String url) {
        Path mirror = root.resolve(key(url) + ".git");
        users.computeIfAbsent(mirror, m -> new AtomicInteger()).incrementAndGet();
        return new Use(mirror);
    }

    /** A job's use of one mirror. */
    final class Use implements AutoCloseable {

        private final Path mirror;

        private Use(Path mirror) {
            this.mirror = mirror;
        }

        Path mirror() {
            return mirror;
        }

        /**
         * Makes sure {@code commit} is in the mirror: a hit needs no lock; a miss fetches it by id, or through
         * {@code ref} when the server refuses ids, under the mirror's lock; once again from scratch when git finds the
         * mirror corrupt.
         */
        Fetched ensure(Attempt attempt, String url, List<String> pins, String ref, String commit) throws JobFailure {
            touch();
            if (has(attempt, commit)) {
                return new Fetched(true, 0, 0);
            }
            try (MirrorLock lock = lock()) {
                if (has(attempt, commit)) {
                    return new Fetched(true, 0, 0);
                }
                try {
                    return fetch(attempt, url, pins, ref, commit);
                } catch (CorruptMirror e) {
                    attempt.log()
                            .line("git cache: the mirror is corrupt (" + e.getMessage()
                                    + "); deleting it and fetching again");
                    delete(mirror);
                    try {
                        return fetch(attempt, url, pins, ref, commit);
                    } catch (CorruptMirror again) {
                        throw new JobFailure(
                                JobOutcome.INFRA_FAILED,
                                "the git cache's mirror of " + url + " is corrupt again after a fresh fetch: "
                                        + again.getMessage());
                    }
                }
            } finally {
                evictOver(mirror);
            }
        }

        /** Deletes the mirror after a checkout from it failed as git does on missing or broken objects. */
        void discard() throws JobFailure {
            try (MirrorLock lock = lock()) {
                delete(mirror);
            }
        }

        @Override
        public void close() {
            Objects.requireNonNull(users.get(mirror)).decrementAndGet();
        }

        private boolean has(Attempt attempt, String commit) throws JobFailure {
            return Files.isDirectory(mirror.resolve("objects"))
                    && git.read(attempt, mirror, line -> {}, "cat-file", "-e", commit + "^{commit}")
                            .succeeded();
        }

        private Fetched fetch(Attempt attempt, String url, List<String> pins, String ref, String commit)
                throws JobFailure, CorruptMirror {
            initialise(attempt);
            Counts before = Counts.of(mirror);
            ProcessResult byId = git.run(
                    attempt,
                    mirror,
                    pins,
                    "fetch",
                    "-q",
                    "--depth",
                    "1",
                    "--no-tags",
                    "--",
                    url,
                    "+" + commit + ":" + REFS + commit);
            // git fetches past unreadable objects of its own (it just offers the server less), so a fetch that
            // succeeded but met them leaves a mirror that would fail again: it is fetched again from scratch too
            failIfCorrupt(byId);
            if (!byId.succeeded()) {
                fetchRef(attempt, url, pins, ref, commit, byId);
            }
            dropOldRefs(attempt);
            Counts after = Counts.of(mirror);
            if (after.packs() > MAX_PACKS) {
                // many small packs make every lookup slower; -d drops only the packs it replaced, and git looks again
                // when an object moves under a reader
                git.read(attempt, mirror, line -> {}, "repack", "-a", "-d", "-q");
            }
            return new Fetched(
                    false,
                    Math.max(0, after.objects() - before.objects()),
                    Math.max(0, after.kibibytes() - before.kibibytes()));
        }

        /** Servers that refuse fetching an unadvertised commit id still serve the ref; the commit must be in it. */
        private void fetchRef(
                Attempt attempt, String url, List<String> pins, String ref, String commit, ProcessResult byId)
                throws JobFailure, CorruptMirror {
            if (ref == null || ref.isBlank() || ref.startsWith("-")) {
                throw SourceFetcher.fetchFailed(url, commit, byId);
            }
            attempt.log().line("fetching by commit id was refused; fetching " + ref + " instead");
            ProcessResult byRef = git.run(attempt, mirror, pins, "fetch", "-q", "--no-tags", "--", url, ref);
            if (!byRef.succeeded()) {
                failIfCorrupt(byRef);
                throw SourceFetcher.fetchFailed(url, commit, byRef);
            }
            if (!git.read(attempt, mirror, line -> {}, "cat-file", "-e", commit + "^{commit}")
                    .succeeded()) {
                throw new JobFailure(JobOutcome.FAILED, "commit " + commit + " is not in " + ref + " of " + url);
            }
            require(git.run(attempt, mirror, "update-ref", REFS + commit, commit), "cannot keep " + commit);
        }

        private void initialise(Attempt attempt) throws JobFailure {
            if (Files.isDirectory(mirror.resolve("objects"))) {
                return;
            }
            delete(mirror);
            createDirectory(mirror);
            require(git.run(attempt, mirror, "init", "-q", "--bare", "."), "cannot create the git cache mirror");
            // git's automatic gc would prune and repack while jobs read the mirror; packs are consolidated below
            require(git.run(attempt, mirror, "config", "gc.auto", "0"), "cannot configure the git cache mirror");
            // a fetch keeps its pack, whose index appears at once: a job that reads without the lock never sees a
            // commit whose trees are still being written, as it could with loose objects
            require(
                    git.run(attempt, mirror, "config", "fetch.unpackLimit", "1"),
                    "cannot configure the git cache mirror");
        }

        private void dropOldRefs(Attempt attempt) throws JobFailure {
            List<String> refs = new ArrayList<>();
            git.read(attempt, mirror, refs::add, "for-each-ref", "--sort=-committerdate", "--format=%(refname)", REFS);
            for (String old : refs.stream()
                    .filter(r -> r.startsWith(REFS))
                    .skip(KEPT_REFS)
                    .toList()) {
                git.read(attempt, mirror, line -> {}, "update-ref", "-d", old);
            }
        }

        private void touch() {
            try {
                if (Files.isDirectory(mirror)) {
                    Files.setLastModifiedTime(mirror, FileTime.from(Instant.now()));
                }
            } catch (IOException e) {
                LOG.debug("cannot mark {} as used: {}", mirror, e.toString());
            }
        }

        private MirrorLock lock() throws JobFailure {
            // null only for a lock taken onlyIfFree
            return Objects.requireNonNull(MirrorLock.acquire(
                    locks.computeIfAbsent(mirror, m -> new ReentrantLock()), lockFile(mirror), false));
        }
    }

    /** Objects in a mirror and their size on disk. */
    /**
     * The objects, KiB and packs of a mirror, read from its pack files rather than asked of {@code git count-objects}
     * (a process before and one after every fetch): a mirror holds packs only ({@code fetch.unpackLimit} 1), each
     * {@code .idx} names its object count in the last entry of its fan-out table. A pack whose index is not written
     * yet does not count.
     */
    record Counts(long objects, long kibibytes, long packs) {

        private static final int FANOUT_LAST = 255 * 4;
        private static final byte[] IDX_V2 = {(byte) 0xff, 't', 'O', 'c'};

        static Counts of(Path mirror) throws JobFailure {
            Path packDir = mirror.resolve("objects").resolve("pack");
            if (!Files.isDirectory(packDir)) {
                return new Counts(0, 0, 0);
            }
            long objects = 0;
            long bytes = 0;
            long packs = 0;
            try (Stream<Path> files = Files.list(packDir)) {
                for (Path idx : files.filter(f -> f.getFileName().toString().endsWith(".idx"))
                        .toList()) {
                    String name = idx.getFileName().toString();
                    Path pack = idx.resolveSibling(name.substring(0, name.length() - 4) + ".pack");
                    if (Files.exists(pack)) {
                        objects += objectsIn(idx);
                        bytes += Files.size(pack);
                        packs++;
                    }
                }
            } catch (IOException e) {
                throw new JobFailure(
                        JobOutcome.INFRA_FAILED, "cannot read the packs of the git cache mirror " + mirror + ": " + e);
            }
            return new Counts(objects, bytes / 1024, packs);
        }

        /** The object count of a pack index, version 2 (a magic and a version first) or version 1. */
        static long objectsIn(Path idx) throws IOException {
            try (FileChannel channel = FileChannel.open(idx, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(8);
                channel.read(head, 0);
                boolean v2 = Arrays.equals(Arrays.copyOf(head.array(), 4), IDX_V2);
                ByteBuffer last = ByteBuffer.allocate(4);
                if (channel.read(last, (v2 ? 8 : 0) + FANOUT_LAST) != 4) {
                    throw new IOException(idx + " is shorter than a pack index");
                }
                return Integer.toUnsignedLong(last.getInt(0));
            }
        }
    }

    /** Git's word that the mirror's own objects are unreadable. */
    static final class CorruptMirror extends Exception {
        CorruptMirror(String message) {
            super(message);
        }
    }

    /** Whether git said that objects of this repository are broken; what the server says of its own is not. */
    static boolean looksCorrupt(ProcessResult result) {
        return result.lastLines().stream().anyMatch(GitCache::saysCorrupt);
    }

    private static boolean saysCorrupt(String line) {
        return !line.startsWith("remote:") && CORRUPTION.matcher(line).find();
    }

    private static void failIfCorrupt(ProcessResult result) throws CorruptMirror {
        if (!result.stopped() && !result.timedOut() && looksCorrupt(result)) {
            throw new CorruptMirror(result.lastLines().stream()
                    .filter(GitCache::saysCorrupt)
                    .findFirst()
                    .orElse(result.lastLine()));
        }
    }

    /**
     * Deletes least recently used mirrors, never {@code current} and never one a job uses or another process
     * fetches into, until all of them fit in the limit again.
     */
    void evictOver(Path current) {
        List<Path> mirrors = mirrors();
        long total = mirrors.stream().mapToLong(GitCache::size).sum();
        if (total <= maxBytes) {
            return;
        }
        mirrors.sort(Comparator.comparing(GitCache::lastUsed));
        for (Path mirror : mirrors) {
            if (total <= maxBytes) {
                return;
            }
            if (mirror.equals(current)
                    || users.getOrDefault(mirror, new AtomicInteger()).get() > 0) {
                continue;
            }
            ReentrantLock lock = locks.computeIfAbsent(mirror, m -> new ReentrantLock());
            try (MirrorLock held = MirrorLock.acquire(lock, lockFile(mirror), true)) {
                if (held == null
                        || users.getOrDefault(mirror, new AtomicInteger()).get() > 0) {
                    continue;
                }
                long size = size(mirror);
                delete(mirror);
                total -= size;
                LOG.info(
                        "git cache: evicted {} ({} KiB, least recently used) to stay under {} KiB",
                        mirror,
                        size / 1024,
                        maxBytes / 1024);
            } catch (JobFailure e) {
                LOG.warn("git cache: cannot evict {}: {}", mirror, e.getMessage());
            }
        }
    }

    List<Path> mirrors() {
        if (!Files.isDirectory(root)) {
            return new ArrayList<>();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return new ArrayList<>(
                    entries.filter(p -> p.getFileName().toString().endsWith(".git"))
                            .toList());
        } catch (IOException e) {
            LOG.warn("git cache: cannot list {}: {}", root, e.toString());
            return new ArrayList<>();
        }
    }

    static long size(Path mirror) {
        try (Stream<Path> files = Files.walk(mirror)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static FileTime lastUsed(Path mirror) {
        try {
            return Files.getLastModifiedTime(mirror);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static Path lockFile(Path mirror) {
        return mirror.resolveSibling(mirror.getFileName() + ".lock");
    }

    /**
     * The key of a repository: its URL without a trailing slash or {@code .git}, scheme and host in lower case, so
     * that the spellings of one repository share a mirror.
     */
    static String key(String url) {
        String normalised = url.strip().replaceAll("/+$", "").replaceAll("\\.git$", "");
        var authority = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^/]*)").matcher(normalised);
        if (authority.find()) {
            normalised = authority.group(1).toLowerCase(Locale.ROOT) + normalised.substring(authority.end());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void delete(Path mirror) throws JobFailure {
        try {
            FileSystemUtils.deleteRecursively(mirror);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot delete the git cache mirror " + mirror + ": " + e);
        }
    }

    private static void createDirectory(Path directory) throws JobFailure {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot create " + directory + ": " + e);
        }
    }

    private static void require(ProcessResult result, String what) throws JobFailure {
        if (!result.succeeded()) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, what + ": " + result.lastLine());
        }
    }

    /** The lock of one mirror: this worker's jobs through the in-memory lock, other processes through the file. */
    private record MirrorLock(ReentrantLock lock, FileChannel channel, FileLock file) implements AutoCloseable {

        /** The lock, waiting for it; or, with {@code onlyIfFree}, null when someone holds it. */
        static @Nullable MirrorLock acquire(ReentrantLock lock, Path path, boolean onlyIfFree) throws JobFailure {
            if (onlyIfFree) {
                if (!lock.tryLock()) {
                    return null;
                }
            } else {
                lock.lock();
            }
            FileChannel channel = null;
            try {
                Files.createDirectories(path.getParent());
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock file = onlyIfFree ? channel.tryLock() : channel.lock();
                if (file == null) {
                    channel.close();
                    lock.unlock();
                    return null;
                }
                return new MirrorLock(lock, channel, file);
            } catch (IOException e) {
                closeQuietly(channel);
                lock.unlock();
                throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot lock the git cache mirror " + path + ": " + e);
            }
        }

        @Override
        public void close() {
            try {
                file.release();
            } catch (IOException e) {
                LOG.warn("git cache: cannot release {}: {}", channel, e.toString());
            } finally {
                closeQuietly(channel);
                lock.unlock();
            }
        }

        private static void closeQuietly(@Nullable FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("cannot close a lock file: {}", e.toString());
                }
            }
        }
    }
}
