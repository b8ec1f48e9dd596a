package io.archfarm.scheduler.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.registry.WorkerSeal;
import io.archfarm.model.secrets.SecretKeyBox;
import io.archfarm.scheduler.Farm;
import io.archfarm.scheduler.SchedulerIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A build's secrets reach the worker that claimed one of its jobs, sealed for that worker's key only: its team's,
 * with its project's own in place of a team secret of the same id, and nothing of another project.
 */
@SchedulerIntegrationTest
class BuildSecretsClaimIT {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final SecretKeyBox BOX = new SecretKeyBox(KEY, "test");

    @Autowired
    Farm farm;

    @DynamicPropertySource
    static void secretKey(DynamicPropertyRegistry properties) {
        properties.add("archfarm.security.secret-key", () -> KEY);
    }

    @Test
    void theClaimingWorkerGetsItsProjectsAndTeamsSecretsSealedForItsKeyOnly() throws Exception {
        UUID buildId = farm.requestBuild(
                List.of("linux/s390x"), "NATIVE_ONLY", "ALL", "127.0.0.1:5000/acme/app", List.of("s1"));
        UUID team = team("acme");
        UUID project = project(team, "app");
        UUID other = project(team, "other");
        ownedBy(buildId, project);
        secret(team, null, "shared", "team-value");
        secret(team, null, "team.only", "team-only-value");
        secret(team, project, "shared", "project-value");
        secret(team, other, "other", "not-for-app");
        farm.heartbeat("w-secrets", List.of("linux/s390x"), List.of(), List.of());
        JobAssignment job = farm.takeAssignment("linux/s390x", ExecutionMode.NATIVE);
        KeyPair worker = WorkerSeal.newKeyPair();

        ClaimRequest claim = new ClaimRequest(
                UUID.randomUUID(),
                job.jobId(),
                job.attempt(),
                "w-secrets",
                ExecutionMode.NATIVE,
                WorkerSeal.text(worker.getPublic()));
        ClaimReply reply = farm.claim(claim);
        ClaimReply redelivered = farm.claim(claim);

        assertThat(reply.granted()).isTrue();
        assertThat(reply.secrets()).isNotNull();
        assertThat(reply.toString()).doesNotContain("project-value").doesNotContain("team-only-value");
        Map<String, String> opened = open(worker, reply);
        assertThat(opened)
                .containsExactlyInAnyOrderEntriesOf(Map.of("shared", "project-value", "team.only", "team-only-value"));
        assertThat(redelivered.granted())
                .as("a redelivered claim brings them again")
                .isTrue();
        assertThat(open(worker, redelivered)).isEqualTo(opened);
        KeyPair another = WorkerSeal.newKeyPair();
        Assertions.assertThatThrownBy(() -> WorkerSeal.open(another.getPrivate(), reply.secrets()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkerWithoutAKeyCannotClaimAJobWhoseBuildHasSecrets() {
        UUID buildId = farm.requestBuild(
                List.of("linux/riscv64"), "NATIVE_ONLY", "ALL", "127.0.0.1:5000/keyless/app", List.of("k1"));
        UUID team = team("keyless");
        UUID project = project(team, "app");
        ownedBy(buildId, project);
        secret(team, project, "token", "value-k");
        farm.heartbeat("w-old", List.of("linux/riscv64"), List.of(), List.of());
        JobAssignment job = farm.takeAssignment("linux/riscv64", ExecutionMode.NATIVE);

        ClaimReply reply = farm.claim(job.jobId(), job.attempt(), "w-old", ExecutionMode.NATIVE);

        assertThat(reply.granted()).isFalse();
        assertThat(reply.reason())
                .contains("secrets")
                .contains("w-old")
                .contains("public key")
                .doesNotContain("value-k");
        assertThat(farm.jobStatus(job.jobId())).isEqualTo("QUEUED");
    }

    @Test
    void aBuildWithoutSecretsGetsNone() {
        UUID buildId = farm.requestBuild(
                List.of("linux/ppc64le"), "NATIVE_ONLY", "ALL", "127.0.0.1:5000/none/app", List.of("n1"));
        farm.heartbeat("w-none", List.of("linux/ppc64le"), List.of(), List.of());
        JobAssignment job = farm.takeAssignment("linux/ppc64le", ExecutionMode.NATIVE);
        assertThat(job.buildId()).isEqualTo(buildId);

        ClaimReply reply = farm.claim(job.jobId(), job.attempt(), "w-none", ExecutionMode.NATIVE);

        assertThat(reply.granted()).isTrue();
        assertThat(reply.secrets()).isNull();
    }

    private static Map<String, String> open(KeyPair worker, ClaimReply reply) {
        String json = new String(WorkerSeal.open(worker.getPrivate(), reply.secrets()), StandardCharsets.UTF_8);
        Map<String, String> opened = new TreeMap<>();
        JsonMapper.shared()
                .readTree(json)
                .properties()
                .forEach(e -> opened.put(e.getKey(), e.getValue().asString()));
        return opened;
    }

    private UUID team(String slug) {
        return farm.jdbc()
                .sql("insert into teams (id, slug, name, created_at) values (:id, :slug, :slug, now())"
                        + " on conflict (slug) do update set name = excluded.name returning id")
                .param("id", UUID.randomUUID())
                .param("slug", slug)
                .query(UUID.class)
                .single();
    }

    private UUID project(UUID team, String slug) {
        UUID project = UUID.randomUUID();
        farm.jdbc()
                .sql("""
                        insert into projects (id, team_id, slug, repository, default_branch, containerfile, context_dir,
                               platforms, placement, image, tag_templates, branch_filters, tag_filters, publish,
                               webhook_secret, created_at, updated_at)
                        values (:id, :team, :slug, 'git://127.0.0.1/x.git', 'main', 'Containerfile', '.', '[]',
                                'NATIVE_ONLY', '127.0.0.1:5000/x/y', '[]', '[]', '[]', 'ALL', 'v1:x', now(), now())""")
                .param("id", project)
                .param("team", team)
                .param("slug", slug)
                .update();
        return project;
    }

    private void ownedBy(UUID buildId, UUID project) {
        farm.jdbc()
                .sql("update builds set project_id = :project where id = :build")
                .param("project", project)
                .param("build", buildId)
                .update();
    }

    private void secret(UUID team, UUID project, String name, String value) {
        farm.jdbc()
                .sql("""
                        insert into build_secrets (id, team_id, project_id, name, sealed_value, set_by, set_at)
                        values (:id, :team, :project, :name, :value, 'test', now())""")
                .param("id", UUID.randomUUID())
                .param("team", team)
                .param("project", project)
                .param("name", name)
                .param("value", BOX.seal(value))
                .update();
    }
}
