package io.archfarm.portal.web;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Bucket4j token bucket per key (an account, a source address, a project), each holding {@code capacity} tokens
 * that refill evenly over {@code window}. Kept in memory: the buckets of one portal instance.
 *
 * @param <K> what is counted
 */
public final class TokenBuckets<K> {

    /** Past this many keys, full buckets (nobody has used them within a window) are dropped, so the map stays small. */
    private static final int SWEEP_ABOVE = 10_000;
    /** A sweep walks every bucket: at most one a second, however many attempts arrive. */
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final long capacity;
    private final Duration window;
    private final ConcurrentMap<K, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    public TokenBuckets(long capacity, Duration window) {
        this.capacity = capacity;
        this.window = window;
    }

    /** Takes a token for {@code key}: empty when there was one, else how long until there is. */
    public Optional<Duration> take(K key) {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (buckets.size() > SWEEP_ABOVE && now - last > SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= capacity);
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Returns a token taken for {@code key} (the attempt it paid for did not count). */
    public void giveBack(K key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.addTokens(1); // never above the capacity
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }

    /** {@code Retry-After} in whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
