package io.archfarm.scheduler.manifests;

/** The manifest list could not be published; the message is the build's error. */
class MergeFailedException extends Exception {

    MergeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
