package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the worker's image stores, together, under {@code archfarm.worker.layer-cache-max-size}: when they are over
 * it, removes the least recently used image that no other image stands on ({@link StoreImages#leaves()}), in a store
 * no job holds, and again, until they are under it. Base images count like any other image. Each store is leased
 * while it is looked at or changed, with {@link ImageStores#tryLease}: a store a job holds is passed over, and a job
 * never waits for the eviction. Runs on a thread of its own after a job has given its store back.
 *
 * <p>{@code buildah rmi} of an image also removes the unnamed images under it that nothing else stands on: those go
 * with it, and their disk is counted in what it freed.
 */
final class EvictLayerCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EvictLayerCache.class);
    private static final Duration REMOVE_LIMIT = Duration.ofMinutes(2);

    private final ImageStores stores;
    private final long maxBytes;
    private final Path workDir;
    private final ProcessRunner processes = new ProcessRunner();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("layer-cache-eviction").factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    /** The disk each store used when last measured: only stores a job or the eviction changed are measured again. */
    private final Map<Path, Long> sizes = new HashMap<>();

    private final Set<Path> changed = ConcurrentHashMap.newKeySet();

    /** An image that went, and how much disk its store gave back. */
    record Evicted(String store, String imageId, Instant lastUsed, long freedBytes) {}

    /** An image that could go: a leaf of a store no job held when it was looked at. */
    private record Candidate(Path storeDir, String imageId, Instant lastUsed) {}

    EvictLayerCache(ImageStores stores, long maxBytes, Path workDir) {
        this.stores = stores;
        this.maxBytes = maxBytes;
        this.workDir = workDir;
    }

    /**
     * Starts an eviction on the eviction's thread unless one is already waiting to start.
     *
     * @param storeDir the store the job built in: its disk use is measured again
     */
    void afterJob(Path storeDir) {
        changed.add(storeDir);
        if (queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false);
                try {
                    evict();
                } catch (RuntimeException e) {
                    LOG.warn("the layer cache's eviction failed: {}", e.toString(), e);
                }
            });
        }
    }

    /** Evicts until the stores are under the bound, or only images of stores jobs hold are left. */
    synchronized List<Evicted> evict() {
        measure();
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        List<Evicted> evicted = new ArrayList<>();
        // an image that did not go (refused, or its store taken meanwhile) is not tried again in this round
        Set<String> passedOver = new HashSet<>();
        while (total > maxBytes) {
            Optional<Candidate> oldest = candidates(sizes.keySet()).stream()
                    .filter(c -> !passedOver.contains(c.storeDir() + " " + c.imageId()))
                    .min(Comparator.comparing(Candidate::lastUsed).thenComparing(Candidate::imageId));
            if (oldest.isEmpty()) {
                LOG.warn(
                        "the image stores use {} bytes, over the layer cache's bound of {}, and nothing more can go "
                                + "now: what is left is in use",
                        total,
                        maxBytes);
                break;
            }
            Optional<Evicted> gone = remove(oldest.get());
            if (gone.isPresent()) {
                evicted.add(gone.get());
                total -= gone.get().freedBytes();
            } else {
                passedOver.add(oldest.get().storeDir() + " " + oldest.get().imageId());
            }
        }
        if (!evicted.isEmpty()) {
            LOG.info(
                    "layer cache: evicted {} image(s), {} bytes freed; the image stores use {} bytes of at most {}",
                    evicted.size(),
                    evicted.stream().mapToLong(Evicted::freedBytes).sum(),
                    total,
                    maxBytes);
        }
        return evicted;
    }

    /**
     * Measures the stores that are new or that a job built in since the last time: walking every store after every
     * job would read all of a worker's layer files, most of which did not change.
     */
    private void measure() {
        List<Path> present = stores.storeDirectories();
        sizes.keySet().retainAll(present);
        for (Path dir : present) {
            if (changed.remove(dir) || !sizes.containsKey(dir)) {
                sizes.put(dir, diskUse(dir));
            }
        }
    }

    /** The leaves of every store that no job holds now, each with when it was last used. */
    private List<Candidate> candidates(Iterable<Path> storeDirs) {
        List<Candidate> candidates = new ArrayList<>();
        for (Path dir : storeDirs) {
            try (var store = stores.tryLease(dir).orElse(null)) {
                if (store == null) {
                    continue;
                }
                StoreImages images = StoreImages.read(store.root(), store.driver());
                LayerCacheUse use = LayerCacheUse.of(dir);
                lastUseOfLeaves(images, use).forEach((leaf, at) -> candidates.add(new Candidate(dir, leaf, at)));
            } catch (IOException | JobFailure e) {
                LOG.warn("the layer cache's eviction passes over the image store {}: {}", dir, e.getMessage());
            }
        }
        return candidates;
    }

    /**
     * The images that may go first, least recently used first: each leaf with when a build last used it, or when
     * buildah made it if no build recorded it.
     */
    static Map<String, Instant> lastUseOfLeaves(StoreImages images, LayerCacheUse use) {
        Map<String, Instant> leaves = new LinkedHashMap<>();
        images.leaves().stream()
                .map(leaf -> Map.entry(
                        leaf,
                        use.lastUsed(leaf)
                                .orElse(Objects.requireNonNull(images.images().get(leaf))
                                        .created())))
                .sorted(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(leaf -> leaves.put(leaf.getKey(), leaf.getValue()));
        return leaves;
    }

    /** Removes the candidate if its store is still free and the image still a leaf; empty when it did not go. */
    private Optional<Evicted> remove(Candidate candidate) {
        Path dir = candidate.storeDir();
        try (var store = stores.tryLease(dir).orElse(null)) {
            if (store == null) {
                return Optional.empty();
            }
            StoreImages before = StoreImages.read(store.root(), store.driver());
            if (before.leaves().contains(candidate.imageId())) {
                ProcessResult removed = processes.run(
                        store.commands().removeImage(candidate.imageId()),
                        workDir,
                        Map.of(),
                        REMOVE_LIMIT,
                        new JobControl(UUID.randomUUID(), 0),
                        line -> {});
                if (!removed.succeeded()) {
                    LOG.warn(
                            "layer cache: cannot evict image {} of {}: {}",
                            candidate.imageId(),
                            store.name(),
                            removed.lastLine());
                }
            }
            StoreImages after = StoreImages.read(store.root(), store.driver());
            LayerCacheUse.of(dir).save(after.images().keySet());
            long size = diskUse(dir);
            long freed = Math.max(0, Objects.requireNonNull(sizes.get(dir)) - size);
            sizes.put(dir, size);
            if (after.images().containsKey(candidate.imageId())) {
                return Optional.empty();
            }
            LOG.info(
                    "layer cache: evicted image {} of {} (last used {}), {} bytes freed",
                    candidate.imageId(),
                    store.name(),
                    candidate.lastUsed(),
                    freed);
            return Optional.of(new Evicted(store.name(), candidate.imageId(), candidate.lastUsed(), freed));
        } catch (IOException | JobFailure e) {
            LOG.warn("layer cache: cannot evict image {} of {}: {}", candidate.imageId(), dir, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The bytes of the files under {@code dir}. The {@code merged} directories of overlay are mounts of a running
     * build's layers, counted already; a file that goes while it is counted counts nothing.
     */
    static long diskUse(Path dir) {
        long[] bytes = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    return directory.getFileName().toString().equals("merged")
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        bytes[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot measure {}: {}", dir, e.toString());
        }
        return bytes[0];
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
