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
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The worker's buildah image stores. In one store a name such as {@code registry/busybox:latest} names one image of
 * one platform, so two jobs sharing a store see each other's pulls: an arm64 job's base image loses its name the
 * moment an s390x job pulls the same tag ("image not known"). Each job therefore leases a store of its own for as
 * long as it builds: {@code <storage-root>/<platform>/<n>/}, the lowest-numbered one of its platform that no job
 * holds, made when all are taken. A store outlives its jobs, so what the next job of that platform needs (base
 * images, later the layer cache) is already there; there are never more stores of a platform than jobs of it that
 * ran at once. The lease is held in this process and by a file lock, so a second worker configured with the same
 * storage root by mistake takes other stores instead of sharing one.
 */
final class ImageStores {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStores.class);

    private final Path storageRoot;
    private final Set<Path> leased = new HashSet<>();

    ImageStores(Path storageRoot) {
        this.storageRoot = storageRoot;
        if (Files.exists(storageRoot.resolve("storage.lock"))) {
            LOG.warn("{} holds a buildah store of an earlier worker version that shared one store among all "
                    + "platforms; nothing uses it now: delete everything in it but the <os>-<arch> directories "
                    + "(vfs*, storage.lock, mounts, tmp, ...) to free the disk",
                    storageRoot);
        }
    }

    /** A store of {@code platform} that no other job uses until the lease is closed. */
    ImageStore lease(Platform platform) throws JobFailure {
        Path platformDir = storageRoot.resolve(platform.key());
        for (int number = 1; ; number++) {
            Path dir = platformDir.resolve(Integer.toString(number));
            if (!reserve(dir)) {
                continue;
            }
            FileLock lock = null;
            try {
                lock = lockFile(dir);
            } finally {
                if (lock == null) {
                    release(dir);
                }
            }
            if (lock != null) {
                return new ImageStore(platform.key() + "/" + number, dir, lock);
            }
        }
    }

    private synchronized boolean reserve(Path dir) {
        return leased.add(dir);
    }

    private synchronized void release(Path dir) {
        leased.remove(dir);
    }

    /** The store's lock file, locked; null when another process (or another pool of this one) holds it. */
    private static FileLock lockFile(Path dir) throws JobFailure {
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

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
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

        /** {@code <platform>/<n>}, as the job log names it. */
        String name() {
            return name;
        }

        Path root() {
            return dir.resolve("root");
        }

        Path runRoot() {
            return dir.resolve("run");
        }

        BuildCommands commands() {
            return new BuildCommands(root(), runRoot());
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
                FileSystemUtils.deleteRecursively(root());
                FileSystemUtils.deleteRecursively(runRoot());
                LOG.warn("image store {} was emptied after a failure of the store itself", dir);
            } catch (IOException e) {
                LOG.warn("cannot empty the image store {}: {}", dir, e.toString());
            }
        }
    }
}
