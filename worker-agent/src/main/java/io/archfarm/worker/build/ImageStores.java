package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The worker's buildah image stores, one set per cache scope (a team, or {@code adhoc} for builds of no team) and
 * platform: {@code <storage-root>/<scope>/<platform>/<n>/}. A store keeps what its builds pulled and, with the layer
 * cache, the layers they built, so a team's build never sees another team's layers nor a base image another team
 * pulled with its own credential. In one store a name such as {@code registry/busybox:latest} names one image of
 * one platform, so two jobs sharing a store see each other's pulls: an arm64 job's base image loses its name the
 * moment an s390x job pulls the same tag ("image not known"). Each job therefore leases a store of its own for as
 * long as it builds: the lowest-numbered one of its scope and platform that no job holds, made when all are taken.
 * A store outlives its jobs, so what the next job of that scope and platform needs (base images, the layer cache) is
 * already there; there are never more stores of a scope and platform than jobs of it that ran at once. The lease is held in this process and by a file lock, so a second worker configured with the same
 * storage root by mistake takes other stores instead of sharing one.
 *
 * <p>A store made with one storage driver cannot be opened with another (containers/storage refuses, or worse, sees
 * an empty store beside the old one's files). So each driver has its own directories in a store: vfs keeps
 * {@code root} and {@code run} (the stores of workers before overlay stay valid), overlay uses {@code overlay-root}
 * and {@code overlay-run}. When a worker moves from vfs to overlay, the vfs directories of a store it leases are
 * deleted to give their disk back; the other way round the overlay ones are kept (they may still hold a mount of a
 * crashed build) and named in the log.
 */
final class ImageStores {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStores.class);
    /** A directory name and nothing else: a scope from a message must not lead the worker to another path. */
    private static final Pattern SCOPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]*");

    private final Path storageRoot;
    private final StorageDriver driver;
    private final Set<Path> leased = new HashSet<>();

    ImageStores(Path storageRoot) {
        this(storageRoot, StorageDriver.VFS);
    }

    ImageStores(Path storageRoot, StorageDriver driver) {
        this.storageRoot = storageRoot;
        this.driver = driver;
        if (Files.exists(storageRoot.resolve("storage.lock"))) {
            LOG.warn(
                    "{} holds a buildah store of an earlier worker version that shared one store among all "
                            + "platforms; nothing uses it now: delete everything in it but the <os>-<arch> directories "
                            + "(vfs*, storage.lock, mounts, tmp, ...) to free the disk",
                    storageRoot);
        }
        for (Path old : platformStoresOfTheLayoutBeforeScopes()) {
            LOG.warn(
                    "{} holds image stores of an earlier worker version, shared by every team; nothing uses them "
                            + "now (stores are per team: <storage-root>/<scope>/<platform>/<n>): delete {} to free the disk",
                    old,
                    old);
        }
    }

    /** {@code <storage-root>/<platform>/<n>}: a second level of numbers is what no scope directory has. */
    private List<Path> platformStoresOfTheLayoutBeforeScopes() {
        List<Path> old = new ArrayList<>();
        try (Stream<Path> children = Files.list(storageRoot)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                try (Stream<Path> grandChildren = Files.list(child)) {
                    if (grandChildren.anyMatch(g -> Files.isDirectory(g)
                            && NUMBER.matcher(g.getFileName().toString()).matches())) {
                        old.add(child);
                    }
                }
            }
        } catch (IOException noRootYet) {
            LOG.debug("no image stores under {} yet: {}", storageRoot, noRootYet.toString());
        }
        return old;
    }

    /**
     * A store of {@code scope} and {@code platform} that no other job uses until the lease is closed.
     *
     * @throws JobFailure (FAILED) when {@code scope} is no valid scope name
     */
    ImageStore lease(String scope, Platform platform) throws JobFailure {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new JobFailure(
                    JobOutcome.FAILED,
                    "the job's cache scope '" + scope + "' is invalid: it must be "
                            + "1 to 64 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        Path platformDir = storageRoot.resolve(scope).resolve(platform.key());
        for (int number = 1; ; number++) {
            Optional<ImageStore> store = tryLease(platformDir.resolve(Integer.toString(number)));
            if (store.isPresent()) {
                store.get().dropOtherDriversFiles();
                return store.get();
            }
        }
    }

    /** Every store directory there is now, leased or not: {@code <scope>/<platform>/<n>} under the root. */
    List<Path> storeDirectories() {
        List<Path> dirs = new ArrayList<>();
        for (Path scope : children(storageRoot)) {
            if (!SCOPE.matcher(scope.getFileName().toString()).matches()) {
                continue;
            }
            for (Path platform : children(scope)) {
                children(platform).stream()
                        .filter(n -> NUMBER.matcher(n.getFileName().toString()).matches())
                        .forEach(dirs::add);
            }
        }
        return dirs;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The store in {@code dir} when no job holds it, leased; empty when a job does. Never waits: whoever asks (the
     * eviction) passes over a busy store instead of holding up a job.
     */
    Optional<ImageStore> tryLease(Path dir) throws JobFailure {
        if (!reserve(dir)) {
            return Optional.empty();
        }
        FileLock lock = null;
        try {
            lock = lockFile(dir);
        } finally {
            if (lock == null) {
                release(dir);
            }
        }
        if (lock == null) {
            return Optional.empty();
        }
        return Optional.of(new ImageStore(storageRoot.relativize(dir).toString(), dir, lock));
    }

    private synchronized boolean reserve(Path dir) {
        return leased.add(dir);
    }

    private synchronized void release(Path dir) {
        leased.remove(dir);
    }

    /** The store's lock file, locked; null when another process (or another pool of this one) holds it. */
    private static @Nullable FileLock lockFile(Path dir) throws JobFailure {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot open the image store " + dir + ": " + e);
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", channel, e.toString());
        }
    }

    /** One leased store: buildah's {@code --root} and {@code --runroot} inside its directory. Close to give it back. */
    final class ImageStore implements AutoCloseable {

        private final String name;
        private final Path dir;
        private final FileLock lock;
        private boolean discarded;

        private ImageStore(String name, Path dir, FileLock lock) {
            this.name = name;
            this.dir = dir;
            this.lock = lock;
        }

        /** {@code <scope>/<platform>/<n>}, as the job log names it. */
        String name() {
            return name;
        }

        Path root() {
            return dir.resolve(prefix(driver) + "root");
        }

        Path runRoot() {
            return dir.resolve(prefix(driver) + "run");
        }

        /** The store's directory: its buildah roots and the layer cache's record of use are in it. */
        Path dir() {
            return dir;
        }

        StorageDriver driver() {
            return driver;
        }

        BuildCommands commands() {
            return new BuildCommands(root(), runRoot(), driver);
        }

        private static String prefix(StorageDriver driver) {
            return driver == StorageDriver.VFS ? "" : driver.flag() + "-";
        }

        /** vfs files have no mounts and go; overlay ones are only named (see the class comment). */
        private void dropOtherDriversFiles() {
            for (StorageDriver other : StorageDriver.values()) {
                Path otherRoot = dir.resolve(prefix(other) + "root");
                if (other == driver || !Files.exists(otherRoot)) {
                    continue;
                }
                if (other != StorageDriver.VFS) {
                    LOG.warn(
                            "image store {} holds an unused {} store ({}): delete it to free the disk once nothing "
                                    + "is mounted under it",
                            dir,
                            other.flag(),
                            otherRoot);
                    continue;
                }
                try {
                    FileSystemUtils.deleteRecursively(otherRoot);
                    FileSystemUtils.deleteRecursively(dir.resolve(prefix(other) + "run"));
                    LOG.info("image store {}: deleted its vfs files, it uses {} now", dir, driver.flag());
                } catch (IOException e) {
                    LOG.warn("cannot delete the vfs files of the image store {}: {}", dir, e.toString());
                }
            }
        }

        /** The store failed a job in a way another job would meet again: it is emptied when the lease ends. */
        void discard() {
            discarded = true;
        }

        @Override
        public void close() {
            if (discarded) {
                empty();
            }
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("cannot unlock the image store {}: {}", dir, e.toString());
            } finally {
                closeQuietly(lock.channel());
                release(dir);
            }
        }

        /** Deleted while still leased, so no job can start in it half-deleted. */
        private void empty() {
            try {
                StoreMounts.detach(dir);
                FileSystemUtils.deleteRecursively(root());
                FileSystemUtils.deleteRecursively(runRoot());
                LOG.warn("image store {} was emptied after a failure of the store itself", dir);
            } catch (IOException e) {
                LOG.warn("cannot empty the image store {}: {}", dir, e.toString());
            }
        }
    }
}
