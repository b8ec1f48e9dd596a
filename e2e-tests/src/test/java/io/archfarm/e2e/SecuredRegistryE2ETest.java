package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.LocalRegistry;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A project that publishes to a registry as teams run one, TLS from a private CA and a login, with its own robot
 * account set through the portal: the workers push with it and the scheduler merges with it.
 */
class SecuredRegistryE2ETest {

    private static final String TEAM = "secure";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);

    private static Farm farm;
    private static E2eProjects projects;

    @RegisterExtension
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure(() -> farm);

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(
                "secured-registry",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64", 1)));
        farm.portal().created("/api/v1/teams", Map.of("slug", TEAM, "name", "Secure"));
        projects = new E2eProjects(farm, TEAM);
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aProjectsRobotAccountPublishesTheManifestListToARegistryWithTlsAndLogins() throws Exception {
        LocalRegistry registry = farm.securedRegistry();
        createProject("app");
        JsonNode project = farm.portal()
                .put(
                        "/api/v1/projects/" + TEAM + "/app/registry-credential",
                        Map.of(
                                "username",
                                "robot",
                                "password",
                                registry.security().password()))
                .json();
        assertThat(project.path("registryCredential").path("registry").asString())
                .isEqualTo(registry.address());
        assertThat(project.toString()).doesNotContain(registry.security().password());

        JsonNode build = BuildAwait.untilEnded(farm.portal(), startBuild("app"), BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build: %s", build).isEqualTo("SUCCEEDED");
        String digest = build.path("manifestList").path("digest").asString();
        HttpResponse<byte[]> served = registry.get("/v2/" + TEAM + "/app/manifests/latest", INDEX);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(sha256(served.body())).isEqualTo(digest);
        for (String platform : List.of("linux/amd64", "linux/arm64")) {
            String image = BuildAwait.platform(build, platform).path("digest").asString();
            assertThat(registry.get("/v2/" + TEAM + "/app/manifests/" + image, LocalRegistry.OCI_MANIFEST)
                            .statusCode())
                    .as(platform)
                    .isEqualTo(200);
            assertThat(farm.portal().logs(build.path("id").asString(), platform))
                    .as(platform)
                    .contains("using the registry credential of project " + TEAM + "/app (user robot)")
                    .doesNotContain(registry.security().password());
        }
        assertThat(farm.logTails()).doesNotContain(registry.security().password());
    }

    @Test
    void aWrongRobotPasswordFailsTheBuildNamingTheRegistryAndTheProject() {
        LocalRegistry registry = farm.securedRegistry();
        createProject("wrong");
        farm.portal()
                .put(
                        "/api/v1/projects/" + TEAM + "/wrong/registry-credential",
                        Map.of("username", "robot", "password", "not-the-robots-password"));

        JsonNode build = BuildAwait.untilEnded(farm.portal(), startBuild("wrong"), BUILD_TIMEOUT);

        assertThat(build.path("status").asString()).as("build: %s", build).isEqualTo("FAILED");
        assertThat(BuildAwait.platform(build, "linux/amd64").path("error").asString())
                .contains("registry " + registry.address() + " refused the credential of project " + TEAM
                        + "/wrong (user robot)")
                .doesNotContain("not-the-robots-password");
    }

    private static void createProject(String slug) {
        projects.create(
                slug,
                Map.of("Containerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n", "hello.txt", "hello\n"),
                List.of("linux/amd64", "linux/arm64"),
                farm.securedRegistry().address() + "/" + TEAM + "/" + slug);
    }

    private static String startBuild(String slug) {
        return projects.startBuild(slug);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
