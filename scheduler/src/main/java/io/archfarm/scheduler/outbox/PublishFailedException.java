package io.archfarm.scheduler.outbox;

/** The broker did not take a message: a nack, a return (no queue for it) or no confirm in time. */
class PublishFailedException extends Exception {

    PublishFailedException(String message) {
        super(message);
    }

    PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
