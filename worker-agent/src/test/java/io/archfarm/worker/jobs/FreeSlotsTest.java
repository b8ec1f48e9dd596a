package io.archfarm.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A worker never takes more job messages than it has free slots, and none while it drains or stops. */
class FreeSlotsTest {

    private final FreeSlots slots = new FreeSlots(2);

    @Test
    void aMessageBeyondTheFreeSlotsFindsNone() {
        slots.open();
        assertThat(slots.reserve()).isTrue();
        assertThat(slots.reserve()).isTrue();
        assertThat(slots.free()).isZero();
        assertThat(slots.reserve()).as("a third message goes back").isFalse();

        slots.release();
        assertThat(slots.free()).isEqualTo(1);
        assertThat(slots.reserve()).isTrue();
    }

    @Test
    void aClosedWorkerHasNoFreeSlotButItsReservedOnesFinish() {
        slots.open();
        assertThat(slots.reserve()).isTrue();
        slots.close();
        assertThat(slots.free()).isZero();
        assertThat(slots.reserve()).isFalse();

        slots.release();
        assertThat(slots.reserved()).isZero();
        slots.open();
        assertThat(slots.free()).isEqualTo(2);
    }

    @Test
    void notStartedMeansNotTaking() {
        assertThat(slots.free()).isZero();
        assertThat(slots.reserve()).isFalse();
    }

    @Test
    void aReleaseWithoutAReservationIsABug() {
        assertThatThrownBy(slots::release).isInstanceOf(IllegalStateException.class);
    }
}
