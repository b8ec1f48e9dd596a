package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What git itself prints when a fetch fails, read by {@link GitFailures}: each case runs the real git against a closed
 * port or a small http server answering the status a git server in trouble (or one that says no) answers.
 */
class GitFailuresTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeEach
    void answeringServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                int status = Integer.parseInt(exchange.getRequestURI().getPath().split("/")[1]);
                if (status == 401) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aClosedPortOverHttpIsTheGitServersTroubleAndNamesIt() throws Exception {
        String url = "http://127.0.0.1:" + closedPort() + "/team/app.git";

        JobFailure failure = GitFailures.of(url, COMMIT, fetch(url));

        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(PartOutage.partOf(failure.getMessage())).hasValue("git server " + serverOf(url));
        assertThat(failure.getMessage())
                .startsWith("git server " + serverOf(url) + " failed the fetch of " + COMMIT + " from " + url + " ('")
                .contains("): the attempt is retried\nfatal: unable to access");
    }

    @Test
    void aClosedPortOverTheGitProtocolIsTheGitServersTrouble() throws Exception {
        String url = "git://127.0.0.1:" + closedPort() + "/team/app.git";

        JobFailure failure = GitFailures.of(url, COMMIT, fetch(url));

        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage())
                .startsWith("git server " + serverOf(url) + " failed the fetch of ")
                .contains("('connection refused')");
    }

    @Test
    void aServerAnswering503Or500IsRetried() throws Exception {
        for (int status : List.of(503, 500, 502)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + status + "/app.git";

            JobFailure failure = GitFailures.of(url, COMMIT, fetch(url));

            assertThat(failure.outcome()).as("%d", status).isEqualTo(JobOutcome.INFRA_FAILED);
            assertThat(failure.getMessage())
                    .as("%d", status)
                    .contains("('the requested url returned error: " + status + "')");
            assertThat(PartOutage.partOf(failure.getMessage())).isPresent();
        }
    }

    @Test
    void aServerThatRefusesAccessOrHasNoSuchRepositoryFailsTheBuild() throws Exception {
        for (int status : List.of(401, 403, 404)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + status + "/app.git";

            JobFailure failure = GitFailures.of(url, COMMIT, fetch(url));

            assertThat(failure.outcome()).as("%d", status).isEqualTo(JobOutcome.FAILED);
            assertThat(failure.getMessage())
                    .as("%d", status)
                    .startsWith("git server " + serverOf(url) + " refused the fetch of " + COMMIT);
            assertThat(PartOutage.partOf(failure.getMessage())).isEmpty();
        }
    }

    @Test
    void aServerThatTimesOutIsRetried() {
        // curl's words when git's http.lowSpeedTime runs out, and ssh's for a host that never answers
        assertThat(GitFailures.of(
                                "https://git.example/a.git",
                                COMMIT,
                                List.of(
                                        "error: RPC failed; curl 28"
                                                + " Operation timed out after 30000 milliseconds with 0 bytes received",
                                        "fatal: expected flush after ref listing"))
                        .outcome())
                .isEqualTo(JobOutcome.INFRA_FAILED);
        JobFailure ssh = GitFailures.of(
                "git@git.example:team/a.git",
                COMMIT,
                List.of(
                        "ssh: connect to host git.example port 22: Connection timed out",
                        "fatal: Could not read from remote repository."));
        assertThat(ssh.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(ssh.getMessage()).startsWith("git server git.example:22 failed the fetch of");
    }

    private static String serverOf(String url) {
        return GitHosts.serverOf(url).orElseThrow();
    }

    /** git fetch, as SourceFetcher runs it, and what it printed. */
    private List<String> fetch(String url) throws Exception {
        Path repo = Files.createTempDirectory(dir, "repo");
        run(repo, "git", "init", "-q", ".");
        ProcessBuilder fetch = new ProcessBuilder("git", "fetch", "-q", "--depth", "1", "--no-tags", "--", url, COMMIT)
                .directory(repo.toFile())
                .redirectErrorStream(true);
        fetch.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process git = fetch.start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(output).isNotZero();
        return output.lines().toList();
    }

    private static void run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
