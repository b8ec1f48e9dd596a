package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archfarm.testing.LocalRegistry;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The farm as a fleet: each worker on a host of its own (a network namespace on a link of the test's own), reaching
 * the control plane only over that link: the farm's RabbitMQ over TLS as the farm's worker user, a registry with TLS
 * from the farm's CA and logins, and the git daemon. The portal and the scheduler stay on this machine's loopback,
 * where no worker can reach them.
 */
class FleetE2ETest {

    private static final String TEAM = "fleet";
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";

    private static Farm farm;
    private static E2eProjects projects;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFleet() {
        farm = Farm.startFleet(
                "fleet",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64,linux/s390x", 2)),
                1);
        farm.portal().created("/api/v1/teams", Map.of("slug", TEAM, "name", "Fleet"));
        projects = new E2eProjects(farm, TEAM);
    }

    @AfterAll
    static void stopFleet() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aThreePlatformBuildOnWorkersOfTheirOwnHostsPublishesToTheSecuredRegistry() throws Exception {
        LocalRegistry registry = farm.securedRegistry();
        createProject("uname", registry.address(), farm.fromBaseImage() + "RUN uname -m > /arch\n");
        setCredential("uname", registry.security().password());

        JsonNode build = BuildAwait.untilEnded(farm.portal(), startBuild("uname"), BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build: %s", build).isEqualTo("SUCCEEDED");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("worker").asString())
                .isEqualTo("native-1");
        assertThat(BuildAwait.platform(build, "linux/arm64").path("worker").asString())
                .isEqualTo("emulated-1");
        String digest = build.path("manifestList").path("digest").asString();
        HttpResponse<byte[]> served = registry.get("/v2/" + TEAM + "/uname/manifests/latest", INDEX);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(sha256(served.body())).isEqualTo(digest);
        JsonNode index = JsonMapper.shared().readTree(served.body());
        Map<String, String> registryDigests = new LinkedHashMap<>();
        for (JsonNode entry : index.path("manifests")) {
            registryDigests.put(
                    "linux/" + entry.path("platform").path("architecture").asString(),
                    entry.path("digest").asString());
        }
        for (String platform : PLATFORMS) {
            List<Map<String, Object>> recorded = farm.database()
                    .query(
                            "select e.digest from manifest_list_entries e"
                                    + " join manifest_lists l on l.id = e.manifest_list_id where l.build_id = ? and e.platform = ?",
                            UUID.fromString(build.path("id").asString()),
                            platform);
            assertThat(recorded).as(platform).hasSize(1);
            assertThat(registryDigests.get(platform))
                    .as(platform)
                    .isEqualTo(recorded.get(0).get("digest"));
            assertThat(farm.portal().logs(build.path("id").asString(), platform))
                    .as(platform)
                    .contains("pushing " + registry.address());
        }
        for (int host = 1; host <= 2; host++) {
            assertThat(farm.fleet().listeningIn(host))
                    .as("sockets listening on worker host %d", host)
                    .isEmpty();
        }
        assertThat(farm.fleetBroker()
                        .rabbitmqctl()
                        .run("list_connections", "-p", farm.fleetUsers().virtualHost(), "user", "ssl"))
                .as("every worker connection is TLS, as the farm's worker user")
                .contains(farm.fleetUsers().worker().username() + "\ttrue")
                .doesNotContain(farm.fleetUsers().worker().username() + "\tfalse");
    }

    @Test
    void aWorkerWithAWrongBrokerPasswordNeverJoinsAndItsLogSaysWhy() {
        farm.startFleetWorker(
                new Farm.WorkerSpec("wrong-password", "linux/amd64", "none", 1), 3, "not-the-worker-password");
        FarmProcess worker = farm.process("worker-wrong-password");

        await("the refused worker exits").atMost(Duration.ofMinutes(2)).until(() -> !worker.isAlive());

        assertThat(worker.tail(60))
                .contains("refused the login of user '"
                        + farm.fleetUsers().worker().username() + "' on virtual host '"
                        + farm.fleetUsers().virtualHost() + "'")
                .doesNotContain("not-the-worker-password");
        assertThat(farm.portal().workers().toString()).doesNotContain("wrong-password");
    }

    @Test
    void aWrongRobotPasswordFailsTheBuildNamingTheRegistryAndTheProject() {
        LocalRegistry registry = farm.securedRegistry();
        createProject("wrong", registry.address(), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        setCredential("wrong", "not-the-robots-password");

        JsonNode build = BuildAwait.untilEnded(farm.portal(), startBuild("wrong"), BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).isEqualTo("FAILED");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("error").asString())
                .contains("registry " + registry.address() + " refused the credential of project " + TEAM
                        + "/wrong (user robot)");
    }

    @Test
    void aRegistryCertificateFromAnUnknownCaFailsTheBuildSayingWhereTheCaGoes() throws Exception {
        try (LocalRegistry untrusted =
                LocalRegistry.startSecured("robot", "pw-" + UUID.randomUUID(), farm.controlAddress())) {
            createProject("untrusted", untrusted.address(), "FROM scratch\nCOPY hello.txt /hello.txt\n");
            setCredential("untrusted", untrusted.security().password());

            JsonNode build = BuildAwait.untilEnded(farm.portal(), startBuild("untrusted"), BUILD_TIMEOUT);

            assertThat(build.path("status").asString()).isEqualTo("FAILED");
            assertThat(BuildAwait.platform(build, "linux/amd64").path("error").asString())
                    .contains("registry " + untrusted.address() + " presented a TLS certificate this worker does"
                            + " not trust");
        }
    }

    private static void createProject(String slug, String registry, String containerfile) {
        projects.create(
                slug,
                Map.of("Containerfile", containerfile, "hello.txt", "hello\n"),
                PLATFORMS,
                registry + "/" + TEAM + "/" + slug);
    }

    private static void setCredential(String slug, String password) {
        projects.setRobotCredential(slug, password);
    }

    private static String startBuild(String slug) {
        return projects.startBuild(slug);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
