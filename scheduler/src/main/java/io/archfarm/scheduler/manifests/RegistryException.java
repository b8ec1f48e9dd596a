package io.archfarm.scheduler.manifests;

/** The registry could not be reached or answered something other than what the distribution spec promises. */
class RegistryException extends Exception {

    RegistryException(String message) {
        super(message);
    }

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
