package io.archfarm.worker.build;

import io.archfarm.model.ImageReference;
import io.archfarm.model.PartOutage;
import io.archfarm.model.metrics.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the words buildah and skopeo (containers/image) use when a registry refuses a login or presents a
 * certificate the worker does not trust, and says which registry, whose credential and what to do, so that a wrong
 * robot password or a missing CA is not reported as a generic push or build failure.
 */
final class RegistryFailures {

    private static final List<String> REFUSED_LOGIN = List.of(
            "unauthorized",
            "authentication required",
            "invalid username/password",
            "denied: requested access",
            "access to the requested resource is not" + " authorized",
            "incorrect username or password");
    private static final List<String> UNTRUSTED = List.of(
            "x509:",
            "tls: failed to verify certificate",
            "certificate signed by unknown authority",
            "certificate is not valid");

    /** A registry or the way to it failing for now: another attempt, here or on another worker, may get through. */
    private static final List<String> TRANSIENT = List.of(
            "500 (internal server error)",
            "502 (bad gateway)",
            "503 (service unavailable)",
            "504 (gateway timeout)",
            "429 (too many requests)",
            "connection refused",
            "connection reset by peer",
            "broken pipe",
            "i/o timeout",
            "tls handshake timeout",
            "context deadline exceeded",
            "timeout exceeded while awaiting headers",
            "no route to host",
            "unexpected eof");

    private RegistryFailures() {}

    /** The words of {@link #TRANSIENT} in {@code line}, if it has any: a registry failing for now. */
    static Optional<String> transientWords(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return TRANSIENT.stream().filter(lower::contains).findFirst();
    }

    /**
     * Why a push failed when the registry, not the image or the login, is at fault for now (a 5xx, a refused or reset
     * connection, a timeout): the job is then the farm's trouble and is retried; empty otherwise.
     */
    static Optional<String> transientReason(List<String> lastLines, ImageReference image, String doing) {
        String lower = String.join("\n", lastLines).toLowerCase(Locale.ROOT);
        return TRANSIENT.stream()
                .filter(lower::contains)
                .findFirst()
                .map(what -> PartOutage.reason(PartOutage.REGISTRY, image.registry(), doing, what));
    }

    /** What the metrics count a registry failure with these last lines as. */
    static ErrorKind kind(List<String> lastLines) {
        String lower = String.join("\n", lastLines).toLowerCase(Locale.ROOT);
        if (UNTRUSTED.stream().anyMatch(lower::contains)) {
            return ErrorKind.UNTRUSTED;
        }
        if (REFUSED_LOGIN.stream().anyMatch(lower::contains)) {
            return ErrorKind.REFUSED;
        }
        return TRANSIENT.stream().anyMatch(lower::contains) ? ErrorKind.UNREACHABLE : ErrorKind.OTHER;
    }

    /** @param doing what failed, e.g. {@code the push of 127.0.0.1:5000/team/app} */
    static Optional<String> reason(
            List<String> lastLines, ImageReference image, Optional<JobCredential> credential, String doing) {
        String lower = String.join("\n", lastLines).toLowerCase(Locale.ROOT);
        String registry = image.registry();
        if (UNTRUSTED.stream().anyMatch(lower::contains)) {
            return Optional.of("registry " + registry + " presented a TLS certificate this worker does not trust ("
                    + doing + "): put the CA that signed it in /etc/containers/certs.d/" + registry + "/ca.crt on"
                    + " the worker (or in archfarm.registry.certs-dir), or list the registry in"
                    + " archfarm.registry.insecure if it speaks plain http");
        }
        if (REFUSED_LOGIN.stream().anyMatch(lower::contains)) {
            return Optional.of(credential
                    .<String>map(c -> "registry " + registry + " refused the credential of "
                            + c.owner() + " (user " + c.credential().username() + ") for " + doing
                            + ": check the project's registry credential and what the account may push")
                    .orElse("registry " + registry + " refused anonymous access for " + doing + ": set the"
                            + " project's registry credential, or add the registry to the worker's auth file"));
        }
        return Optional.empty();
    }
}
