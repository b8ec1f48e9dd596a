package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import io.archfarm.worker.testing.GitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * buildah and skopeo against a registry as teams run one: TLS from a private CA, trusted through a certs.d directory,
 * and htpasswd logins, with the project's credential the job brought (as the claim's answer hands it over).
 */
class SecuredRegistryPushIT {

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static GitRepository repository;
    static String commit;
    static JobRunner trusting;
    static JobRunner untrusting;

    private final List<JobLogChunk> chunks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void aSecuredRegistry() throws Exception {
        RequiredTools.require("buildah", "skopeo", "git", "docker-registry");
        registry = LocalRegistry.startSecured("robot", "pw-" + UUID.randomUUID());
        repository = GitRepository.create(dir.resolve("repo"));
        commit = repository.commit(Map.of(
                "image/Containerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n",
                "image/hello.txt", "hello from a secured registry\n",
                "derived/Containerfile", "ARG BASE\nFROM ${BASE}\nCOPY extra.txt /extra.txt\n",
                "derived/extra.txt", "more\n"));
        trusting = runner("trusting", registry.security().certsDir());
        untrusting = runner("untrusting", null);
    }

    private static JobRunner runner(String name, Path certsDir) throws Exception {
        Path workDir = dir.resolve(name);
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, List.of());
        return new JobRunner(new BuildSettings(
                        "it-" + name,
                        workDir,
                        workDir.resolve("storage"),
                        Duration.ofSeconds(60),
                        true,
                        false,
                        List.of(),
                        containersHome,
                        null,
                        certsDir)
                .withAllowedHosts(List.of(), List.of(registry.address())));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void clearLog() {
        chunks.clear();
    }

    @Test
    void theProjectsCredentialPushesOverVerifiedTlsAndPullsTheFromImageAndLeavesNothingOnDisk() throws Exception {
        JobFinished base = run(
                trusting,
                job("image/Containerfile", "image", "team/base", Map.of()),
                credential(registry.security().password()));
        assertThat(base.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(registry.get("/v2/team/base/manifests/" + base.digest(), LocalRegistry.OCI_MANIFEST)
                        .statusCode())
                .isEqualTo(200);

        JobFinished derived = run(
                trusting,
                job(
                        "derived/Containerfile",
                        "derived",
                        "team/derived",
                        Map.of("BASE", registry.address() + "/team/base@" + base.digest())),
                credential(registry.security().password()));

        assertThat(derived.outcome()).as(log()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(registry.get("/v2/team/derived/manifests/" + derived.digest(), LocalRegistry.OCI_MANIFEST)
                        .statusCode())
                .isEqualTo(200);
        assertThat(log())
                .contains("using the registry credential of project acme/app (user robot) for " + registry.address())
                .doesNotContain(registry.security().password());
        assertThat(filesUnder(dir.resolve("trusting")))
                .as("no auth file outlives its job")
                .noneMatch(path -> path.getFileName().toString().equals("auth.json"));
        assertThat(Files.readAllBytes(dir.resolve("trusting/containers-home/" + RegistriesConf.DROP_IN)))
                .asString()
                .doesNotContain(registry.security().password());
    }

    @Test
    void aWrongCredentialFailsTheJobNamingTheRegistryAndTheProject() {
        JobFinished finished = run(
                trusting, job("image/Containerfile", "image", "team/wrong", Map.of()), credential("not-the-password"));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error())
                .as(log())
                .startsWith("registry " + registry.address() + " refused the credential of project acme/app"
                        + " (user robot) for the push of " + registry.address() + "/team/wrong")
                .doesNotContain("not-the-password");
    }

    @Test
    void noCredentialFailsTheJobSayingTheRegistryWantsOne() {
        JobFinished finished =
                run(trusting, job("image/Containerfile", "image", "team/anonymous", Map.of()), Optional.empty());

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error())
                .as(log())
                .startsWith("registry " + registry.address() + " refused anonymous access for the push of "
                        + registry.address() + "/team/anonymous");
    }

    @Test
    void aCertificateFromACaTheWorkerDoesNotKnowFailsTheJobSayingWhereTheCaGoes() {
        JobFinished finished = run(
                untrusting,
                job("image/Containerfile", "image", "team/untrusted", Map.of()),
                credential(registry.security().password()));

        assertThat(finished.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.error())
                .as(log())
                .startsWith("registry " + registry.address()
                        + " presented a TLS certificate this worker does not trust (the push of " + registry.address()
                        + "/team/untrusted): put the CA that signed it in /etc/containers/certs.d/" + registry.address()
                        + "/ca.crt");
    }

    private static Optional<JobCredential> credential(String password) {
        return Optional.of(
                new JobCredential(new RegistryCredential(registry.address(), "robot", password), "project acme/app"));
    }

    private JobFinished run(JobRunner runner, JobAssignment job, Optional<JobCredential> credential) {
        return runner.run(
                job,
                ExecutionMode.NATIVE,
                new JobControl(job.jobId(), job.attempt()),
                new JobLog(job.jobId(), job.attempt(), chunks::add),
                credential);
    }

    private static JobAssignment job(
            String containerfile, String context, String repositoryName, Map<String, String> buildArgs) {
        return new JobAssignment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "linux/amd64",
                repository.url(),
                "main",
                commit,
                false,
                containerfile,
                context,
                buildArgs,
                registry.address() + "/" + repositoryName,
                600);
    }

    private String log() {
        return chunks.stream().map(JobLogChunk::text).collect(Collectors.joining());
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
