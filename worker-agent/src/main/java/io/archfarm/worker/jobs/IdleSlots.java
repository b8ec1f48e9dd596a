package io.archfarm.worker.jobs;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where slots with nothing to do wait for their next poll, and where the doorbell wakes them early. A ring for n jobs
 * wakes at most n of the slots waiting, never more slots than jobs, so that a worker's idle slots do not all poll for
 * one job. A slot that was polling while the bell rang (its poll may have come just before the job) polls once more
 * instead of waiting, so that no ring falls between a slot's empty poll and its wait.
 */
final class IdleSlots {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int waiting;
    private int wakeUps;
    private long rings;
    private boolean closed;

    /** Read before a poll and handed to {@link #await}: a ring after it means the poll may have missed a job. */
    long rings() {
        lock.lock();
        try {
            return rings;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a ring wakes this slot, {@link #close()} is called or {@code timeout} passed; returns at once when
     * the bell rang since {@code ringsBeforePoll}.
     *
     * @return whether a ring woke it
     */
    boolean await(Duration timeout, long ringsBeforePoll) throws InterruptedException {
        lock.lock();
        try {
            if (rings != ringsBeforePoll) {
                return true;
            }
            waiting++;
            try {
                long left = timeout.toNanos();
                while (wakeUps == 0 && !closed && left > 0) {
                    left = changed.awaitNanos(left);
                }
                if (wakeUps > 0) {
                    wakeUps--;
                    return true;
                }
                return false;
            } finally {
                waiting--;
                // a wake-up meant for a slot that timed out meanwhile is not kept for a slot that waits later
                wakeUps = Math.min(wakeUps, waiting);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes up to {@code jobs} waiting slots (and every polling one); returns how many waiting slots it woke. */
    int ring(int jobs) {
        lock.lock();
        try {
            rings++;
            int before = wakeUps;
            wakeUps = Math.min(waiting, wakeUps + jobs);
            if (wakeUps > before) {
                changed.signalAll();
            }
            return wakeUps - before;
        } finally {
            lock.unlock();
        }
    }

    /** How many slots wait now. */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every slot and keeps none waiting until {@link #open()}: the worker stops. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void open() {
        lock.lock();
        try {
            closed = false;
        } finally {
            lock.unlock();
        }
    }
}
