package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.Topology;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.model.registry.WorkerSeal;
import io.archfarm.model.secrets.SecretKeyBox;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.SchedulerIntegrationTest;
import io.archfarm.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merge against registries as teams run them: TLS from a private CA (trusted through certs.d) and htpasswd logins,
 * with the credential from the scheduler's containers auth file or from the build's project.
 */
@SchedulerIntegrationTest
class SecuredRegistryMergeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final KeyPair WORKER_KEY = WorkerSeal.newKeyPair();
    private static LocalRegistry registry;
    /** A second one whose CA is in no certs.d the scheduler reads. */
    private static LocalRegistry untrusted;

    private static Path authFile;

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void registries(DynamicPropertyRegistry properties) throws Exception {
        registry = LocalRegistry.startSecured("ci", "ci-" + UUID.randomUUID());
        untrusted = LocalRegistry.startSecured("ci", "other-" + UUID.randomUUID());
        authFile = Files.createTempFile("archfarm-scheduler-auth", ".json");
        RegistryCredential ci = new RegistryCredential(
                registry.address(), "ci", registry.security().password());
        Files.writeString(authFile, "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + ci.basic() + "\"}}}");
        properties.add(
                "archfarm.registry.certs-dirs",
                () -> registry.security().certsDir().toString());
        properties.add("archfarm.registry.auth-file", authFile::toString);
        properties.add("archfarm.security.secret-key", () -> KEY);
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        for (LocalRegistry each : new LocalRegistry[] {registry, untrusted}) {
            if (each != null) {
                each.close();
            }
        }
        if (authFile != null) {
            Files.deleteIfExists(authFile);
        }
    }

    @Test
    void theAuthFilesLoginPublishesOverVerifiedTls() throws Exception {
        String amd64 = PushedImages.push(registry, "team/app", "amd64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/amd64"), "NATIVE_ONLY", "ALL", registry.address() + "/team/app", List.of("1.0"));
        runAndSucceed(buildId, "linux/amd64", amd64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "SUCCEEDED"));
        String digest = farm.jdbc()
                .sql("select digest from manifest_lists where build_id = :b")
                .param("b", buildId)
                .query(String.class)
                .single();
        var served = registry.get("/v2/team/app/manifests/1.0", INDEX);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(PushedImages.sha256(served.body())).isEqualTo(digest);
    }

    @Test
    void aProjectsWrongCredentialFailsTheBuildNamingTheRegistryAndTheProject() throws Exception {
        String amd64 = PushedImages.push(registry, "team/robot", "amd64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/amd64"), "NATIVE_ONLY", "ALL", registry.address() + "/team/robot", List.of("r1"));
        ownedByProject(buildId, "robot", "robot$ci", "not-the-password");
        runAndSucceed(buildId, "linux/amd64", amd64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat((String) farm.build(buildId).get("error"))
                .contains("registry " + registry.address() + " refused the credential of project acme/robot"
                        + " (user robot$ci)")
                .doesNotContain("not-the-password");
        assertThat(registry.get("/v2/team/robot/manifests/r1", INDEX).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aWorkerWithoutAKeyCannotClaimAJobWhoseProjectHasACredential() {
        UUID buildId = farm.requestBuild(
                List.of("linux/riscv64"), "NATIVE_ONLY", "ALL", registry.address() + "/team/keyless", List.of("k1"));
        ownedByProject(buildId, "keyless", "robot$k", "secret-k");
        farm.heartbeat("w-old", List.of("linux/riscv64"), List.of(), List.of());
        JobAssignment job = farm.takeAssignment("linux/riscv64", ExecutionMode.NATIVE);

        ClaimReply reply = farm.claim(job.jobId(), job.attempt(), "w-old", ExecutionMode.NATIVE);

        assertThat(reply.granted()).isFalse();
        assertThat(reply.reason())
                .contains("registry credential")
                .contains("w-old")
                .contains("public key");
        assertThat(farm.jobStatus(job.jobId())).isEqualTo("QUEUED");
    }

    @Test
    void aProjectsCredentialReachesTheClaimingWorkerSealedForItsKeyOnly() throws Exception {
        UUID buildId = farm.requestBuild(
                List.of("linux/s390x"), "NATIVE_ONLY", "ALL", registry.address() + "/team/sealed", List.of("s1"));
        ownedByProject(buildId, "sealed", "robot$sealed", registry.security().password());
        farm.heartbeat("w-sealed", List.of("linux/s390x"), List.of(), List.of());
        JobAssignment job = farm.takeAssignment("linux/s390x", ExecutionMode.NATIVE);
        KeyPair worker = WorkerSeal.newKeyPair();

        ClaimRequest claim = new ClaimRequest(
                UUID.randomUUID(),
                job.jobId(),
                job.attempt(),
                "w-sealed",
                ExecutionMode.NATIVE,
                WorkerSeal.text(worker.getPublic()));
        ClaimReply reply = farm.claim(claim);
        ClaimReply redelivered = farm.claim(claim);

        assertThat(reply.granted()).isTrue();
        assertThat(reply.credential()).isNotNull();
        assertThat(reply.credential().toString())
                .doesNotContain(registry.security().password());
        JsonNode opened = JsonMapper.shared().readTree(WorkerSeal.open(worker.getPrivate(), reply.credential()));
        assertThat(opened.get("registry").asString()).isEqualTo(registry.address());
        assertThat(opened.get("username").asString()).isEqualTo("robot$sealed");
        assertThat(opened.get("secret").asString())
                .isEqualTo(registry.security().password());
        assertThat(opened.get("owner").asString()).isEqualTo("project acme/sealed");
        assertThat(redelivered.granted())
                .as("the same claim again, as a redelivery brings it")
                .isTrue();
        assertThat(JsonMapper.shared()
                        .readTree(WorkerSeal.open(worker.getPrivate(), redelivered.credential()))
                        .get("username")
                        .asString())
                .isEqualTo("robot$sealed");
    }

    @Test
    void aRegistryWithACertificateFromAnUnknownCaFailsTheBuildSayingSo() throws Exception {
        String amd64 = PushedImages.push(untrusted, "team/app", "amd64", null);
        UUID buildId = farm.requestBuild(
                List.of("linux/amd64"), "NATIVE_ONLY", "ALL", untrusted.address() + "/team/app", List.of("u1"));
        runAndSucceed(buildId, "linux/amd64", amd64);

        await().atMost(WAIT).untilAsserted(() -> assertThat(farm.build(buildId)).containsEntry("status", "FAILED"));
        assertThat((String) farm.build(buildId).get("error"))
                .contains("registry " + untrusted.address() + " presented a TLS certificate the scheduler does not"
                        + " trust")
                .contains("/" + untrusted.address() + "/ca.crt");
    }

    /** Puts the build under a project of team acme whose registry credential is {@code username}/{@code secret}. */
    private void ownedByProject(UUID buildId, String slug, String username, String secret) {
        UUID team = farm.jdbc()
                .sql("insert into teams (id, slug, name, created_at) values (:id, 'acme', 'Acme', now())"
                        + " on conflict (slug) do update set name = excluded.name returning id")
                .param("id", UUID.randomUUID())
                .query(UUID.class)
                .single();
        UUID project = UUID.randomUUID();
        farm.jdbc()
                .sql("""
                        insert into projects (id, team_id, slug, repository, default_branch, containerfile, context_dir,
                               platforms, placement, image, tag_templates, branch_filters, tag_filters, publish,
                               webhook_secret, registry_host, registry_username, registry_secret, created_at,
                               updated_at)
                        values (:id, :team, :slug, 'git://127.0.0.1/x.git', 'main', 'Containerfile', '.', '[]',
                                'NATIVE_ONLY', :image, '[]', '[]', '[]', 'ALL', 'v1:x', :registry, :username,
                                :secret, now(), now())""")
                .param("id", project)
                .param("team", team)
                .param("slug", slug)
                .param("image", registry.address() + "/team/" + slug)
                .param("registry", registry.address())
                .param("username", username)
                .param("secret", new SecretKeyBox(KEY, "test").seal(secret))
                .update();
        farm.jdbc()
                .sql("update builds set project_id = :project where id = :build")
                .param("project", project)
                .param("build", buildId)
                .update();
    }

    private void runAndSucceed(UUID buildId, String platform, String digest) {
        farm.heartbeat("w-" + platform.replace('/', '-'), List.of(platform), List.of(), List.of());
        JobAssignment job = farm.takeAssignment(platform, ExecutionMode.NATIVE);
        assertThat(job.buildId()).isEqualTo(buildId);
        String worker = "w-" + platform.replace('/', '-');
        assertThat(farm.claim(new ClaimRequest(
                                UUID.randomUUID(),
                                job.jobId(),
                                job.attempt(),
                                worker,
                                ExecutionMode.NATIVE,
                                WorkerSeal.text(WORKER_KEY.getPublic())))
                        .granted())
                .isTrue();
        farm.send(
                Topology.JOB_FINISHED,
                new JobFinished(
                        UUID.randomUUID(),
                        job.jobId(),
                        job.attempt(),
                        worker,
                        JobOutcome.SUCCEEDED,
                        digest,
                        400,
                        "application/vnd.oci.image.manifest.v1+json",
                        null,
                        null,
                        Instant.now(),
                        Instant.now(),
                        1000));
    }
}
