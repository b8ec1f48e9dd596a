package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartOutageTest {

    @Test
    void theReasonOfAnOutageNamesItsPart() {
        String reason = PartOutage.reason(
                PartOutage.REGISTRY, "127.0.0.1:5000", "the push of 127.0.0.1:5000/team/app", "connection refused");

        assertThat(reason)
                .isEqualTo("registry 127.0.0.1:5000 failed the push of 127.0.0.1:5000/team/app"
                        + " ('connection refused'): the attempt is retried");
        assertThat(PartOutage.partOf(reason)).hasValue("registry 127.0.0.1:5000");
        assertThat(PartOutage.partOf(PartOutage.reason(
                        PartOutage.GIT_SERVER,
                        "git.example:443",
                        "the fetch of 0123abc",
                        "the requested url returned error: 503")))
                .hasValue("git server git.example:443");
    }

    @Test
    void anyOtherErrorIsNoOutage() {
        assertThat(PartOutage.partOf("step failed: RUN false exited with code 1"))
                .isEmpty();
        assertThat(PartOutage.partOf("the worker ran into 'no space left on device'"))
                .isEmpty();
        assertThat(PartOutage.partOf("registry 127.0.0.1:5000 refused the credential of project a/b"))
                .isEmpty();
        assertThat(PartOutage.partOf(null)).isEmpty();
    }
}
