package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The doorbell's side in the worker: a ring wakes waiting slots, one per job, and reaches a slot that was polling. */
class IdleSlotsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final IdleSlots slots = new IdleSlots();

    @Test
    void aRingWakesAWaitingSlotBeforeItsTimeout() throws Exception {
        CompletableFuture<Boolean> slot = waitInAnotherThread();
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.waiting() == 1);
        assertThat(slots.ring(1)).isEqualTo(1);
        assertThat(slot.get(5, TimeUnit.SECONDS)).as("woken by the ring").isTrue();
    }

    @Test
    void aRingForOneJobWakesOneOfTwoWaitingSlots() throws Exception {
        CompletableFuture<Boolean> first = waitInAnotherThread();
        CompletableFuture<Boolean> second = waitInAnotherThread();
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.waiting() == 2);
        assertThat(slots.ring(1)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.isDone() || second.isDone());
        assertThat(first.isDone() && second.isDone()).as("one slot still waits").isFalse();

        slots.close();
        assertThat(first.get(5, TimeUnit.SECONDS) ^ second.get(5, TimeUnit.SECONDS)).as("exactly one was rung")
                .isTrue();
    }

    @Test
    void aRingWhileTheSlotPolledSendsItToPollAgainAtOnce() throws Exception {
        long beforePoll = slots.rings();
        assertThat(slots.ring(1)).as("no slot waits").isZero();
        assertThat(slots.await(LONG, beforePoll)).isTrue();
    }

    @Test
    void aRingNobodyWaitedForIsNotKeptForLater() throws Exception {
        slots.ring(3);
        long beforePoll = slots.rings();
        assertThat(slots.await(Duration.ofMillis(50), beforePoll)).as("timed out, not woken").isFalse();
    }

    @Test
    void closingWakesEverySlot() throws Exception {
        CompletableFuture<Boolean> slot = waitInAnotherThread();
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.waiting() == 1);
        slots.close();
        assertThat(slot.get(5, TimeUnit.SECONDS)).as("not rung, but no longer waiting").isFalse();
    }

    private CompletableFuture<Boolean> waitInAnotherThread() {
        long beforePoll = slots.rings();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                result.complete(slots.await(LONG, beforePoll));
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
