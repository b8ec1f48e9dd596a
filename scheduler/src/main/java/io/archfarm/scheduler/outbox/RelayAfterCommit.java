package io.archfarm.scheduler.outbox;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs the relay right after a transaction that wrote outbox rows committed, instead of at its next tick. The round
 * runs on a thread of its own: code in {@code afterCommit} still belongs to the finished transaction, and the
 * committing thread (a listener, the dispatcher) has better things to do than wait for confirms. Wake-ups that
 * arrive while a round is pending fold into it; one that arrives while a round runs queues exactly one more, which
 * sees the new rows. The tick stays the net: for the portal's rows (the portal has no broker connection), for rows
 * whose publish failed, and for a wake-up lost in a crash.
 */
@Component
class RelayAfterCommit implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayAfterCommit.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final PublishOutboxMessages relay;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile @Nullable ExecutorService thread;

    RelayAfterCommit(PublishOutboxMessages relay) {
        this.relay = relay;
    }

    /** In the transaction that writes a row: wake the relay once it committed (a rollback wakes nothing). */
    void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return; // Outbox demands a transaction; without synchronization the tick still sends the row
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake();
            }
        });
    }

    private void wake() {
        ExecutorService current = thread;
        if (current == null || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            current.execute(this::round);
        } catch (RejectedExecutionException e) {
            pending.set(false); // stopping: the rows wait for the next scheduler
        }
    }

    private void round() {
        pending.set(false);
        try {
            relay.publishPending();
        } catch (RuntimeException e) {
            log.warn("the relay round after a commit failed, the tick tries again: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("outbox-relay").daemon().factory());
        }
    }

    @Override
    public synchronized void stop() {
        ExecutorService current = thread;
        thread = null;
        if (current == null) {
            return;
        }
        current.shutdown();
        try {
            if (!current.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the relay round after a commit did not finish within {}", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
