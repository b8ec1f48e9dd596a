package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sandbox numbers are in use on this host: number n is held by a file lock on {@code <lockDir>/<n>.lock} for as
 * long as a job uses it (and in this process, since one JVM cannot lock a file twice). The kernel drops the lock of a
 * worker that dies, so a number whose lock can be taken has no live owner: what carries it is stale.
 */
final class SandboxNumbers {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxNumbers.class);

    private final Path lockDir;
    private final Set<Integer> held = new HashSet<>();

    SandboxNumbers(Path lockDir) {
        this.lockDir = lockDir;
    }

    /** The lowest number below {@code count} that no one holds. */
    Lease lease(int count) throws JobFailure {
        for (int number = 0; number < count; number++) {
            Lease lease = tryLease(number);
            if (lease != null) {
                return lease;
            }
        }
        throw new JobFailure(JobOutcome.INFRA_FAILED, "all " + count + " network sandboxes are in use on this host");
    }

    /** Number {@code number} if no one holds it, else null. */
    @Nullable
    Lease tryLease(int number) {
        if (!reserve(number)) {
            return null;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(lockDir);
            channel = FileChannel.open(
                    lockDir.resolve(number + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new Lease(number, lock);
            }
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("sandbox number {} is not free: {}", number, e.toString());
        }
        closeQuietly(channel);
        release(number);
        return null;
    }

    private synchronized boolean reserve(int number) {
        return held.add(number);
    }

    private synchronized void release(int number) {
        held.remove(number);
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a sandbox lock: {}", e.toString());
            }
        }
    }

    /** A sandbox number held by this worker until released. */
    final class Lease {

        private final int number;
        private final FileLock lock;

        private Lease(int number, FileLock lock) {
            this.number = number;
            this.lock = lock;
        }

        int number() {
            return number;
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("cannot unlock network sandbox {}: {}", number, e.toString());
            } finally {
                closeQuietly(lock.channel());
                SandboxNumbers.this.release(number);
            }
        }
    }
}
