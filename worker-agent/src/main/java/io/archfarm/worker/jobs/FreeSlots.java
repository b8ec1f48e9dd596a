package io.archfarm.worker.jobs;

/**
 * How many of the worker's slots can take a job: a slot is reserved from the moment a job message is pushed to it
 * until its claim was refused or its job ended. While the worker is draining or stopping no slot is free. Not thread
 * safe: {@link JobConsumers} guards it.
 */
final class FreeSlots {

    private final int slots;
    private int reserved;
    private boolean open;

    FreeSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("a worker has at least one slot, not " + slots);
        }
        this.slots = slots;
    }

    /** How many more job messages the worker may hold now: 0 while it is closed (draining or stopping). */
    int free() {
        return open ? slots - reserved : 0;
    }

    /** Reserves a slot for a message just pushed; false when there is none, and the message must go back. */
    boolean reserve() {
        if (free() == 0) {
            return false;
        }
        reserved++;
        return true;
    }

    void release() {
        if (reserved == 0) {
            throw new IllegalStateException("a slot released that was not reserved");
        }
        reserved--;
    }

    int reserved() {
        return reserved;
    }

    /** Takes jobs (started, or resumed after a drain). */
    void open() {
        open = true;
    }

    /** Takes no new job (draining, stopping); the reserved slots finish what they have. */
    void close() {
        open = false;
    }
}
