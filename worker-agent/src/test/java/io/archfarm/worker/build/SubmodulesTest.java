package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.PartOutage;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.worker.testing.GitRepository;
import io.archfarm.worker.testing.SilentGitServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submodules on real git repositories: fetched only when the build asks, recursively, and only over the transports
 * the worker allows, whoever declared them.
 */
class SubmodulesTest {

    @TempDir
    Path dir;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();
    private final UUID jobId = UUID.randomUUID();
    private final JobLog log = new JobLog(jobId, 1, chunks::add);
    private GitRepository library;
    private String libraryCommit;
    private GitRepository app;

    @BeforeEach
    void anAppWithALibraryAsSubmodule() throws Exception {
        library = GitRepository.create(dir.resolve("library"));
        libraryCommit = library.commit(Map.of("lib.txt", "from the submodule\n"));
        // the submodule's commit is not the tip of its branch, as after any later commit in the library
        library.commit(Map.of("later.txt", "not pinned\n"));
        app = GitRepository.create(dir.resolve("app"));
        app.commit(Map.of("Containerfile", "FROM scratch\nCOPY vendor/lib/lib.txt /lib.txt\n"));
    }

    @Test
    void whenTheProjectDoesNotAskTheSubmoduleStaysEmptyAndTheLogSaysSo() throws Exception {
        String commit = app.declareSubmodule("vendor/lib", library.url(), libraryCommit);

        Path checkout = fetch(app, commit, false, true);

        assertThat(checkout.resolve("Containerfile")).exists();
        assertThat(checkout.resolve("vendor/lib")).isEmptyDirectory();
        assertThat(log())
                .contains("the repository has submodules (vendor/lib) that were not fetched: the project"
                        + " does not ask for submodules, so their directories are empty")
                .doesNotContain("fetching submodules");
    }

    @Test
    void whenTheProjectAsksTheSubmodulesFilesAreInTheCheckout() throws Exception {
        String commit = app.declareSubmodule("vendor/lib", library.url(), libraryCommit);

        Path checkout = fetch(app, commit, true, true);

        assertThat(checkout.resolve("vendor/lib/lib.txt")).hasContent("from the submodule");
        assertThat(checkout.resolve("vendor/lib/later.txt"))
                .as("the pinned commit, not the branch")
                .doesNotExist();
        assertThat(log())
                .contains(
                        "fetching submodules vendor/lib (recursively, depth 1)",
                        "fetched submodule vendor/lib at " + libraryCommit);
    }

    @Test
    void submodulesOfSubmodulesAreFetchedToo() throws Exception {
        GitRepository deep = GitRepository.create(dir.resolve("deep"));
        String deepCommit = deep.commit(Map.of("deep.txt", "two levels down\n"));
        String nested = library.declareSubmodule("deep", deep.url(), deepCommit);
        String commit = app.declareSubmodule("vendor/lib", library.url(), nested);

        Path checkout = fetch(app, commit, true, true);

        assertThat(checkout.resolve("vendor/lib/deep/deep.txt")).hasContent("two levels down");
        assertThat(log())
                .contains(
                        "fetched submodule vendor/lib at " + nested,
                        "fetched submodule vendor/lib/deep at " + deepCommit);
    }

    @Test
    void fileSubmodulesAreRefusedUnlessTheWorkerAllowsThem() throws Exception {
        String commit = app.declareSubmodule("vendor/lib", library.url(), libraryCommit);

        assertThatThrownBy(() -> fetch(app, commit, true, false))
                .isInstanceOf(JobFailure.class)
                .hasMessage("submodule vendor/lib: repository '" + library.url() + "' refused: local repositories"
                        + " (file://) are not allowed on this worker (archfarm.git.allow-file-submodules=false)")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
    }

    /** The relative URL is checked as git resolves it, so the file switch applies before git fetches anything. */
    @Test
    void aRelativeUrlIsResolvedAgainstTheRepositoryAndStillNeedsTheFileSwitch() throws Exception {
        String commit = app.declareSubmodule("vendor/lib", "../library", libraryCommit);

        Path checkout = fetch(app, commit, true, true);
        assertThat(checkout.resolve("vendor/lib/lib.txt")).hasContent("from the submodule");
        int before = log().length();

        assertThatThrownBy(() -> fetch(app, commit, true, false))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("submodule vendor/lib: repository '")
                .hasMessageContaining("library' refused: local repositories (file://) are not allowed on this worker"
                        + " (archfarm.git.allow-file-submodules=false)")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
        assertThat(log().substring(before)).doesNotContain("fetching submodules vendor/lib");
    }

    @Test
    void anExtUrlDeepDownIsRefusedBeforeGitFetchesThatLevelAndRunsNothing() throws Exception {
        Path marker = dir.resolve("ext-ran");
        String evil = library.declareSubmodule("evil", "ext::sh -c touch% " + marker, libraryCommit);
        String commit = app.declareSubmodule("vendor/lib", library.url(), evil);

        assertThatThrownBy(() -> fetch(app, commit, true, true))
                .isInstanceOf(JobFailure.class)
                .hasMessage("submodule vendor/lib/evil: repository 'ext::sh -c touch% " + marker + "' refused: git"
                        + " remote helpers (such as ext::) are never allowed");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aSubmoduleThatCannotBeFetchedFailsTheAttemptNamingIt() throws Exception {
        String gone = "file://" + dir.resolve("gone");
        String commit = app.declareSubmodule("vendor/gone", gone, libraryCommit);

        assertThatThrownBy(() -> fetch(app, commit, true, true))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("fetching submodules failed: ")
                .hasMessageContaining("'" + gone + "'")
                .hasMessageContaining("vendor/gone")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.INFRA_FAILED));
        assertThat(log()).contains("fetching submodules vendor/gone");
    }

    @Test
    void aSubmoduleServerThatRefusesConnectionsIsFailingForNowAndNamed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/lib.git";
        String commit = app.declareSubmodule("vendor/down", url, libraryCommit);

        assertThatThrownBy(() -> fetch(app, commit, true, true))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith(
                        "git server 127.0.0.1:" + closed + " failed the fetch of submodule " + url + " ('")
                .hasMessageContaining("; fetching submodules failed: ")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.INFRA_FAILED))
                .satisfies(
                        e -> assertThat(PartOutage.partOf(e.getMessage())).hasValue("git server 127.0.0.1:" + closed));
    }

    @Test
    void aSubmoduleServerThatNeverAnswersHitsTheGitTimeout() throws Exception {
        try (SilentGitServer silent = new SilentGitServer()) {
            String commit = app.declareSubmodule("vendor/silent", silent.url(), libraryCommit);

            assertThatThrownBy(() -> fetch(app, commit, true, true, Duration.ofSeconds(1)))
                    .isInstanceOf(JobFailure.class)
                    .hasMessage("git submodule timed out after 1 s")
                    .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.INFRA_FAILED));
        }
    }

    @Test
    void aCommitWithoutSubmodulesIsFetchedAsBefore() throws Exception {
        String commit = app.commit(Map.of("README", "no submodules\n"));

        Path checkout = fetch(app, commit, true, true);

        assertThat(checkout.resolve("README")).exists();
        assertThat(log()).contains("the build asks for submodules; this commit declares none");
    }

    private Path fetch(GitRepository repository, String commit, boolean withSubmodules, boolean allowFileSubmodules)
            throws JobFailure {
        return fetch(repository, commit, withSubmodules, allowFileSubmodules, Duration.ofSeconds(60));
    }

    private Path fetch(
            GitRepository repository,
            String commit,
            boolean withSubmodules,
            boolean allowFileSubmodules,
            Duration gitTimeout)
            throws JobFailure {
        // the silent git server is on loopback; names resolve nowhere, so no test depends on DNS
        SourceFetcher fetcher = new SourceFetcher(
                new GitUrlPolicy(true),
                GitUrlPolicy.forSubmodules(allowFileSubmodules),
                new GitHosts(List.of("127.0.0.1"), host -> List.of()),
                gitTimeout);
        Path checkout = dir.resolve("checkout-" + UUID.randomUUID());
        Attempt attempt = new Attempt(new JobControl(jobId, 1), log, new ProcessRunner(), 600);
        fetcher.fetch(attempt, repository.url(), "main", commit, withSubmodules, checkout);
        return checkout;
    }

    private String log() {
        log.flush();
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }
}
