package io.archfarm.portal.metrics;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi;
import io.archfarm.testing.ArchfarmTestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What the portal shows an operator and a client: metrics for a scraper on the host or with the scrape token (a
 * scraper elsewhere is told so, never sent to the sign-in page), its version, and the tools of workers and jobs.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.git.allow-file-urls=true",
            "archfarm.git.timeout=20s",
            "archfarm.git.allowed-hosts=127.0.0.1,localhost",
            "archfarm.metrics.scrape-token=" + ObservabilityIT.SCRAPE_TOKEN
        })
@Import(ArchfarmTestServices.class)
class ObservabilityIT {

    static final String SCRAPE_TOKEN = "scrape-0123456789abcdef-0123456789abcdef";
    /** A documentation address (RFC 5737), as the loopback proxy the portal trusts forwards it. */
    private static final String ELSEWHERE = "192.0.2.7";

    private static final String TOOLS = """
            {"kernel": "6.1.0-28-amd64", "storageDriver": "overlay", "buildah": "1.28.2", "skopeo": "1.9.3",
             "qemu": {"linux/arm64": "7.2.22", "linux/s390x": "7.2.22"}}""";

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PortalGauges gauges;

    FarmAccounts farm;

    @BeforeAll
    static void repository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void accounts() {
        farm = new FarmAccounts(port);
    }

    @Test
    void aScraperOnTheHostReadsTheMetricsAndOneElsewhereNeedsTheToken() throws Exception {
        String team = farm.team("metrics");
        expect(farm.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/metrics/app"}""".formatted(team, repo.url())), 202);
        expect(farm.admin().post("/hooks/nobody/nothing/github", "{}"), 404);
        gauges.refresh();

        HttpResponse<String> local = scrape("/actuator/prometheus", null, null);
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.body())
                .containsPattern("archfarm_builds\\{status=\"QUEUED\"} [1-9]")
                .containsPattern("archfarm_outbox_unsent [1-9]")
                .contains("archfarm_outbox_lag_seconds ")
                .contains("archfarm_git_errors_total{kind=\"refused\"} ")
                .contains("archfarm_webhook_deliveries_total{forge=\"github\",outcome=\"UNKNOWN\"} 1.0");

        HttpResponse<String> remote = scrape("/actuator/prometheus", ELSEWHERE, null);
        assertThat(remote.statusCode()).as("not a redirect to the sign-in page").isEqualTo(401);
        assertThat(remote.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"archfarm-metrics\"");
        assertThat(remote.body()).contains("archfarm.metrics.scrape-token").doesNotContain("archfarm_builds");
        assertThat(scrape("/actuator/prometheus", ELSEWHERE, "Bearer wrong-token-0123456789")
                        .statusCode())
                .isEqualTo(401);
        assertThat(scrape("/actuator/info", ELSEWHERE, null).statusCode()).isEqualTo(401);
        HttpResponse<String> withToken = scrape("/actuator/prometheus", ELSEWHERE, "Bearer " + SCRAPE_TOKEN);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).contains("archfarm_builds");
        assertThat(scrape("/actuator/health", ELSEWHERE, null).statusCode())
                .as("health stays open")
                .isEqualTo(200);
    }

    @Test
    void theVersionIsTheBuildsForAnyCallerWithAToken() throws Exception {
        JsonNode version = expect(farm.admin().get("/api/v1/version"), 200).json();

        assertThat(version.path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(version.has("commit")).isTrue();
        if (!version.path("commit").isNull()) {
            assertThat(version.path("commit").asString()).matches("[0-9a-f]{40}");
            assertThat(version.path("commitTime").asString()).endsWith("Z");
        }
        assertThat(version.path("buildTime").asString())
                .as("build-info of this build")
                .endsWith("Z");
        assertThat(farm.admin().withAuthorization(null).get("/api/v1/version").status())
                .isEqualTo(401);
        HttpResponse<String> info = scrape("/actuator/info", null, null);
        assertThat(info.body()).contains("\"version\":\"0.1.0-SNAPSHOT\"");
    }

    @Test
    void workersAndTheirJobsShowTheirTools() throws Exception {
        String worker = FarmAccounts.unique("w-tools");
        jdbc.sql("""
                        insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status,
                                             first_seen, last_seen, tools)
                        values (:id, 'host-t', '["linux/amd64"]', '["linux/arm64", "linux/s390x"]', 2, 1, 'ONLINE',
                                now(), now(), cast(:tools as jsonb))""").param("id", worker).param("tools", TOOLS).update();
        String team = farm.team("tools");
        UUID build = UUID.fromString(expect(farm.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["linux/arm64"],
                 "image": "127.0.0.1:5000/tools/app"}""".formatted(team, repo.url())), 202)
                .json()
                .path("id")
                .asString());
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode,
                                           worker_id, queued_at, started_at, tools)
                values (:id, :build, 'linux/arm64', 'NATIVE_PREFERRED', 'RUNNING', 1, 3, 'EMULATED', :worker,
                        now(), now(), cast(:tools as jsonb))""")
                .param("id", UUID.randomUUID())
                .param("build", build)
                .param("worker", worker)
                .param("tools", TOOLS)
                .update();

        JsonNode listed = null;
        for (JsonNode each : expect(farm.admin().get("/api/v1/workers"), 200).json()) {
            listed = each.path("id").asString().equals(worker) ? each : listed;
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("tools").path("buildah").asString()).isEqualTo("1.28.2");
        assertThat(listed.path("tools").path("qemu").path("linux/s390x").asString())
                .isEqualTo("7.2.22");
        assertThat(listed.path("tools").has("skopeo")).isTrue();
        JsonNode job = expect(farm.admin().get("/api/v1/builds/" + build), 200)
                .json()
                .path("platforms")
                .get(0);
        assertThat(job.path("tools").path("kernel").asString()).isEqualTo("6.1.0-28-amd64");
        assertThat(job.path("tools").path("storageDriver").asString()).isEqualTo("overlay");

        PortalApi page = new PortalApi(port).signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        assertThat(page.get("/workers").body())
                .contains("buildah 1.28.2 · skopeo 1.9.3 · kernel 6.1.0-28-amd64")
                .contains("qemu 7.2.22 (linux/arm64, linux/s390x)");
        assertThat(page.get("/builds/" + build).body())
                .as("an emulated job: buildah and its platform's qemu")
                .contains("buildah 1.28.2 · qemu 7.2.22");
    }

    /** A request as the trusted loopback proxy forwards it for {@code client} (or from the host itself, for null). */
    private HttpResponse<String> scrape(String path, String client, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        Map.of(
                        "X-Forwarded-For",
                        client == null ? "" : client,
                        "Authorization",
                        authorization == null ? "" : authorization)
                .forEach((name, value) -> {
                    if (!value.isEmpty()) {
                        request.header(name, value);
                    }
                });
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
