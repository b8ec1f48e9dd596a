package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.worker.testing.GitRepository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worker holds the repository and every submodule, at every level, to the farm's host rule before git connects
 * (issue 11). Real git repositories; the refused hosts are never contacted: the refusal comes before the git command
 * that would connect (recorded here), and as a safety net every git this test runs may use only file:// anyway.
 */
class HostRuleOnTheWorkerTest {

    /** Names that resolve inside: a DNS answer the worker gets itself, made up so that no test asks real DNS. */
    private static final HostResolver DNS = host -> switch (host.toLowerCase()) {
        case "localhost" -> List.of(InetAddress.getByName("127.0.0.1"));
        case "rebound.example" -> List.of(InetAddress.getByName("10.9.8.7"));
        case "public.example" -> List.of(InetAddress.getByName("140.82.121.3"));
        default -> throw new UnknownHostException(host);
    };

    @TempDir
    Path dir;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
    private final UUID jobId = UUID.randomUUID();
    private final JobLog log = new JobLog(jobId, 1, chunks::add);
    private RecordingRunner processes = new RecordingRunner("file");
    private GitRepository library;
    private String libraryCommit;
    private GitRepository app;

    @BeforeEach
    void anAppAndALibrary() throws Exception {
        library = GitRepository.create(dir.resolve("library"));
        libraryCommit = library.commit(Map.of("lib.txt", "from the submodule\n"));
        app = GitRepository.create(dir.resolve("app"));
        app.commit(Map.of("Containerfile", "FROM scratch\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            git://169.254.169.254/lib.git      | host 169.254.169.254 is a cloud metadata address
            https://10.0.0.1/team/lib.git      | host 10.0.0.1 is a private address
            ssh://git@[::1]:2222/lib.git       | host ::1 is a loopback address
            http://localhost:8080/lib.git      | host 'localhost' resolves to 127.0.0.1, a loopback address
            git@rebound.example:team/lib.git   | host 'rebound.example' resolves to 10.9.8.7, a private address
            https://[fd00:ec2::254]/lib.git    | host fd00:ec2::254 is a cloud metadata address
            http://0x7f000001/lib.git          | host '0x7f000001' is a numeric address in a form that git
            """)
    void aSubmoduleOnARefusedHostFailsTheBuildNamingItBeforeGitConnects(String url, String why) throws Exception {
        String commit = app.declareSubmodule("vendor/lib", url, libraryCommit);

        assertThatThrownBy(() -> fetch(app.url(), commit))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("submodule vendor/lib: repository '" + url + "' refused: " + why)
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThat(processes.commands())
                .as("git init and checkout ran, then submodule init, and nothing after")
                .anyMatch(command -> command.endsWith(" submodule init"))
                .noneMatch(command -> command.contains(" submodule update"));
        assertThat(log()).doesNotContain("fetching submodules");
    }

    /** A name the worker's own reading of .gitmodules gets wrong still has its URL checked: git's config is read. */
    @Test
    void everyUrlGitWouldUseIsCheckedWhateverTheSubmodulesName() throws Exception {
        app.declareSubmodule("vendor/lib", library.url(), libraryCommit);
        String commit =
                app.declareSubmodule("odd.name with space", "vendor/odd", "git://169.254.169.254/x.git", libraryCommit);

        assertThatThrownBy(() -> fetch(app.url(), commit))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("submodule odd.name with space: repository 'git://169.254.169.254/x.git'"
                        + " refused: host 169.254.169.254 is a cloud metadata address")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThat(processes.commands()).noneMatch(command -> command.contains(" submodule update"));
    }

    @Test
    void aNestedSubmoduleOnARefusedHostIsCheckedBeforeGitGoesDeeper() throws Exception {
        String nested = library.declareSubmodule("deep", "git://169.254.169.254/deep.git", libraryCommit);
        String commit = app.declareSubmodule("vendor/lib", library.url(), nested);

        assertThatThrownBy(() -> fetch(app.url(), commit))
                .isInstanceOf(JobFailure.class)
                .hasMessage("submodule vendor/lib/deep: repository 'git://169.254.169.254/deep.git' refused: host"
                        + " 169.254.169.254 is a cloud metadata address; an operator can allow it with"
                        + " archfarm.git.allowed-hosts")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThat(processes.commands())
                .as("the first level is fetched, the second is not")
                .filteredOn(command -> command.contains(" submodule update"))
                .hasSize(1);
        Path checkout = onlyCheckout();
        assertThat(checkout.resolve("vendor/lib/lib.txt")).exists();
        assertThat(checkout.resolve("vendor/lib/deep")).isEmptyDirectory();
    }

    @Test
    void anAllowedInternalHostPassesTheRule() throws Exception {
        String commit = app.declareSubmodule("vendor/lib", "git://10.0.0.1/lib.git", libraryCommit);
        SourceFetcher fetcher = fetcher(List.of("10.0.0.0/8"));

        // git is then allowed to try; the safety net (file:// only) stops it before it connects
        assertThatThrownBy(() -> fetch(fetcher, app.url(), commit))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("fetching submodules failed: ")
                .hasMessageContaining("transport 'git' not allowed");
        assertThat(processes.commands()).anyMatch(command -> command.contains(" submodule update"));
    }

    /**
     * Git's own lookup is not asked: its http connection goes to the address the worker checked (127.0.0.2 here,
     * where a real lookup of the name would give 127.0.0.1), for the repository and for a submodule's clone alike.
     */
    @Test
    void gitConnectsOverHttpToTheAddressTheWorkerCheckedNotToASecondLookup() throws Exception {
        processes = new RecordingRunner("file:http");
        try (ListeningSocket server = new ListeningSocket(InetAddress.getByName("127.0.0.2"))) {
            HostResolver pinnedDns = host ->
                    host.equals("pinned.localhost") ? List.of(InetAddress.getByName("127.0.0.2")) : DNS.resolve(host);
            SourceFetcher fetcher = new SourceFetcher(
                    new GitUrlPolicy(true),
                    GitUrlPolicy.forSubmodules(true),
                    new GitHosts(List.of("127.0.0.0/8"), pinnedDns),
                    Duration.ofSeconds(30));
            String url = "http://pinned.localhost:" + server.port() + "/lib.git";
            String commit = app.declareSubmodule("vendor/lib", url, libraryCommit);

            // the socket closes each connection unanswered: the submodule's server failing for now
            assertThatThrownBy(() -> fetch(fetcher, app.url(), commit))
                    .isInstanceOf(JobFailure.class)
                    .hasMessageStartingWith("git server pinned.localhost:" + server.port() + " failed the fetch of"
                            + " submodule " + url)
                    .hasMessageContaining("; fetching submodules failed: ");
            assertThat(server.accepted()).as("connections to 127.0.0.2").isPositive();
            assertThat(processes.commands())
                    .filteredOn(command -> command.contains(" submodule update"))
                    .singleElement()
                    .asString()
                    .contains("-c http.curloptResolve=pinned.localhost:" + server.port() + ":127.0.0.2 submodule");

            int before = server.accepted();
            assertThatThrownBy(() ->
                            fetch(fetcher, "http://pinned.localhost:" + server.port() + "/app.git", "a".repeat(40)))
                    .isInstanceOf(JobFailure.class);
            assertThat(server.accepted()).as("the repository's fetch, too").isGreaterThan(before);
        }
    }

    @Test
    void theRepositoryUrlIsCheckedAgainOnTheWorkerWithItsOwnResolver() {
        assertThatThrownBy(() -> fetch("https://rebound.example/team/app.git", "a".repeat(40)))
                .isInstanceOf(JobFailure.class)
                .hasMessage("repository 'https://rebound.example/team/app.git' refused: host 'rebound.example'"
                        + " resolves to 10.9.8.7, a private address; an operator can allow it with"
                        + " archfarm.git.allowed-hosts")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThat(processes.commands()).as("no git ran at all").isEmpty();
    }

    @Test
    void aRepositoryNameThatDoesNotResolveIsTheWorkersTrouble() {
        assertThatThrownBy(() -> fetch("https://gone.example/team/app.git", "a".repeat(40)))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("host 'gone.example' does not resolve to any address")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.INFRA_FAILED));
        assertThat(processes.commands()).isEmpty();
    }

    /**
     * Through the whole attempt, whose git has no safety net: a refused submodule is the build's own failure. The
     * refused host is on loopback, so that even a broken rule would send nothing off this machine.
     */
    @Test
    void theJobFailsAsTheBuildsOwnFailure() throws Exception {
        String commit = app.declareSubmodule("vendor/loop", "http://127.0.0.1:1/lib.git", libraryCommit);

        JobFinished finished = runner().run(
                        job(commit, true, "127.0.0.1:5000/demo/app"),
                        ExecutionMode.NATIVE,
                        new JobControl(jobId, 1),
                        log);

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error())
                .isEqualTo("submodule vendor/loop: repository 'http://127.0.0.1:1/lib.git'"
                        + " refused: host 127.0.0.1 is a loopback address; an operator can allow it with"
                        + " archfarm.git.allowed-hosts");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1:5000/demo/app      | image '10.0.0.1:5000/demo/app' is refused: host 10.0.0.1 is a private address
            169.254.169.254/demo/app    | image '169.254.169.254/demo/app' is refused: host 169.254.169.254 is a cloud
            127.0.0.1:5001/demo/app     | image '127.0.0.1:5001/demo/app' is refused: host 127.0.0.1 is a loopback
            localhost:5000/demo/app     | image 'localhost:5000/demo/app' is refused: host 'localhost' resolves to
            """)
    void anImageOnARefusedRegistryFailsBeforeAnythingIsBuiltOrPushed(String image, String why) throws Exception {
        String commit = app.commit(Map.of("README", "no submodules\n"));

        JobFinished finished =
                runner().run(job(commit, false, image), ExecutionMode.NATIVE, new JobControl(jobId, 1), log);

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error()).startsWith(why).contains("archfarm.registry.allowed-hosts");
        assertThat(log()).doesNotContain("image store", "pushing");
    }

    /**
     * buildah pulls in the worker's own network: what a Containerfile pulls from is a host the user names too. The
     * refused registries are on loopback, so that even a broken rule would send nothing off this machine (the
     * other address classes are the rule's own tests).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            FROM 127.0.0.2/base:1                                        | '127.0.0.2/base:1'
            ARG REG=127.0.0.1:5001\\nFROM ${REG}/base@sha256:aa AS build | '127.0.0.1:5001/base@sha256:aa'
            FROM 127.0.0.1:5000/ok\\nCOPY --from=[::1]:5000/tools / /     | '[::1]:5000/tools'
            FROM scratch\\nRUN --mount=type=bind,from=localhost:5001/x,target=/x true | 'localhost:5001/x'
            """)
    void aContainerfileThatPullsFromARefusedRegistryFailsBeforeBuildahRuns(String containerfile, String pulled)
            throws Exception {
        String commit = app.commit(Map.of("Containerfile", containerfile.replace("\\n", "\n") + "\n"));

        JobFinished finished = runner().run(
                        job(commit, false, "127.0.0.1:5000/demo/app"),
                        ExecutionMode.NATIVE,
                        new JobControl(jobId, 1),
                        log);

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error())
                .startsWith("the Containerfile pulls '" + pulled + "': image ")
                .contains("is refused", "archfarm.registry.allowed-hosts");
        assertThat(log()).doesNotContain("image store", "pushing");
    }

    @Test
    void aContainerfileFromTheFarmsOwnRegistryOrAnEarlierStagePassesTheRule() throws Exception {
        String commit = app.commit(Map.of("Containerfile", """
                ARG BASE=127.0.0.1:5000/archfarm/busybox
                FROM ${BASE} AS base
                FROM base
                COPY --from=base /bin /bin
                COPY --from=0 /bin /bin
                """));

        JobFinished finished = runner().run(
                        job(commit, false, "127.0.0.1:5000/demo/app"),
                        ExecutionMode.NATIVE,
                        new JobControl(jobId, 1),
                        log);

        assertThat(finished.error()).doesNotContain("the Containerfile pulls");
        assertThat(log()).contains("image store");
    }

    private JobRunner runner() {
        Path workDir = dir.resolve("worker-" + UUID.randomUUID());
        return new JobRunner(
                new BuildSettings(
                        "host-rule-it",
                        workDir,
                        workDir.resolve("storage"),
                        Duration.ofSeconds(30),
                        true,
                        true,
                        List.of("127.0.0.1:5000"),
                        workDir.resolve("containers-home")),
                DNS);
    }

    private JobAssignment job(String commit, boolean submodules, String image) {
        return new JobAssignment(
                UUID.randomUUID(),
                jobId,
                UUID.randomUUID(),
                1,
                "linux/amd64",
                app.url(),
                "main",
                commit,
                submodules,
                "Containerfile",
                ".",
                Map.of(),
                image,
                600);
    }

    private SourceFetcher fetcher(List<String> allowedHosts) {
        return new SourceFetcher(
                new GitUrlPolicy(true),
                GitUrlPolicy.forSubmodules(true),
                new GitHosts(allowedHosts, DNS),
                Duration.ofSeconds(30));
    }

    private void fetch(String repository, String commit) throws JobFailure {
        fetch(fetcher(List.of()), repository, commit);
    }

    private void fetch(SourceFetcher fetcher, String repository, String commit) throws JobFailure {
        Attempt attempt = new Attempt(new JobControl(jobId, 1), log, processes, 600);
        fetcher.fetch(attempt, repository, "main", commit, true, dir.resolve("checkout-" + UUID.randomUUID()));
    }

    /** Accepts connections on one loopback address, counts them and closes them at once. */
    private static final class ListeningSocket implements AutoCloseable {

        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();

        ListeningSocket(InetAddress address) throws IOException {
            socket = new ServerSocket(0, 50, address);
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Path onlyCheckout() throws IOException {
        try (var checkouts = Files.list(dir)) {
            return checkouts
                    .filter(path -> path.getFileName().toString().startsWith("checkout-"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private String log() {
        log.flush();
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }

    /** Records every command; every git it runs may use only {@code protocols}, whatever the worker would allow. */
    private static final class RecordingRunner extends ProcessRunner {

        private final List<String> commands = new CopyOnWriteArrayList<>();
        private final String protocols;

        RecordingRunner(String protocols) {
            this.protocols = protocols;
        }

        @Override
        ProcessResult run(
                List<String> command,
                Path directory,
                Map<String, String> environment,
                Duration timeout,
                JobControl control,
                Consumer<String> lines)
                throws IOException {
            commands.add(String.join(" ", command));
            Map<String, String> fileOnly = new HashMap<>(environment);
            fileOnly.put("GIT_ALLOW_PROTOCOL", protocols);
            return super.run(command, directory, fileOnly, timeout, control, lines);
        }

        List<String> commands() {
            return commands;
        }
    }
}
