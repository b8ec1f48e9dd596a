package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ImageReference;
import io.archfarm.model.PartOutage;
import io.archfarm.model.registry.RegistryCredential;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryFailuresTest {

    private static final ImageReference IMAGE = ImageReference.parse("reg.example.com:5000/team/app");

    @Test
    void aServerErrorDuringThePushIsTheRegistrysTroubleAndRetried() {
        List<String> skopeo = List.of(
                "Getting image source signatures",
                "Copying blob sha256:bd9d",
                "time=\"...\" level=fatal msg=\"trying to reuse blob sha256:bd9d at destination: failed to read from "
                        + "destination repository team/app: 500 (Internal Server Error)\"");

        assertThat(RegistryFailures.transientReason(skopeo, IMAGE, "the push of " + IMAGE))
                .hasValue("registry reg.example.com:5000 failed the push of reg.example.com:5000/team/app"
                        + " ('500 (internal server error)'): the attempt is retried");
        assertThat(RegistryFailures.reason(skopeo, IMAGE, Optional.empty(), "the push"))
                .isEmpty();
    }

    @Test
    void aRefusedConnectionIsTransientButARefusedLoginIsNot() {
        assertThat(RegistryFailures.transientReason(
                        List.of("dial tcp 10.0.0.5:5000: connect: connection refused"), IMAGE, "the push"))
                .isPresent();
        List<String> denied = List.of("Error: writing blob: initiating layer upload to /v2/team/app/blobs/uploads/"
                + " in reg.example.com:5000: unauthorized: authentication required");
        assertThat(RegistryFailures.transientReason(denied, IMAGE, "the push")).isEmpty();
        assertThat(RegistryFailures.reason(
                        denied,
                        IMAGE,
                        Optional.of(new JobCredential(
                                new RegistryCredential("reg.example.com:5000", "robot", "s3cret"), "project acme/app")),
                        "the push"))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("registry reg.example.com:5000 refused the credential of project acme/app"
                                + " (user robot) for the push")
                        .doesNotContain("s3cret"));
    }

    @Test
    void anUnknownCaNamesTheFileItGoesIn() {
        assertThat(RegistryFailures.reason(
                        List.of("tls: failed to verify certificate: x509: certificate signed by"
                                + " unknown authority"),
                        IMAGE,
                        Optional.empty(),
                        "the push"))
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("/etc/containers/certs.d/reg.example.com:5000/ca.crt"));
    }

    /** skopeo 1.9.3's own words, captured by pushing an OCI layout to a closed port, a 503 server and a silent one. */
    @Test
    void skopeosWordsForARegistryDownAnswering503OrSilentAreTransient() {
        ImageReference local = ImageReference.parse("127.0.0.1:18090/team/app");
        String prefix = "time=\"2026-12-07T06:07:36Z\" level=fatal msg=\"trying to reuse blob sha256:bd9ddc54bea9 at"
                + " destination: pinging container registry 127.0.0.1:18090: ";
        for (String words : List.of(
                "Get \\\"http://127.0.0.1:18090/v2/\\\": dial tcp 127.0.0.1:18090: connect:" + " connection refused\"",
                "invalid status code from registry 503 (Service Unavailable)\"",
                "Get \\\"http://127.0.0.1:18090/v2/\\\": context deadline exceeded\"")) {
            Optional<String> reason = RegistryFailures.transientReason(
                    List.of("Getting image source signatures", prefix + words), local, "the push of " + local);
            assertThat(reason)
                    .as(words)
                    .hasValueSatisfying(
                            why -> assertThat(PartOutage.partOf(why)).hasValue("registry 127.0.0.1:18090"));
        }
    }
}
