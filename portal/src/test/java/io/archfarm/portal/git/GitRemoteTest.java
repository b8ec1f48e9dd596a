package io.archfarm.portal.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real git binary against remotes that fail in the ways networks do. */
class GitRemoteTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @Test
    void killsLsRemoteWhenTheRemoteNeverAnswers() throws IOException {
        GitRemote git = new GitRemote(new GitProperties(false, Duration.ofSeconds(2)), metrics);
        // The kernel completes the TCP handshake for the backlog, but nothing ever speaks: git waits for its timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "git://127.0.0.1:" + silent.getLocalPort() + "/silent.git";
            long started = System.nanoTime();

            assertThatThrownBy(() -> git.refsOf(url))
                    .isInstanceOf(RepositoryUnreachableException.class)
                    .hasMessageContaining("'" + url + "'")
                    .hasMessageContaining("within PT2S");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(errors("unreachable")).isEqualTo(1);
        }
    }

    @Test
    void reportsGitsErrorForARefusedConnection() {
        GitRemote git = new GitRemote(new GitProperties(false, Duration.ofSeconds(20)), metrics);
        assertThatThrownBy(() -> git.refsOf("git://127.0.0.1:1/nothing.git"))
                .isInstanceOf(RepositoryUnreachableException.class)
                .hasMessageContaining("'git://127.0.0.1:1/nothing.git' cannot be reached")
                .hasMessageContaining("Connection refused");
        assertThat(errors("unreachable"))
                .as("counted as the git server being down")
                .isEqualTo(1);
        assertThat(errors("refused")).isZero();
    }

    private double errors(String kind) {
        return metrics.get("archfarm.git.errors").tag("kind", kind).counter().count();
    }
}
