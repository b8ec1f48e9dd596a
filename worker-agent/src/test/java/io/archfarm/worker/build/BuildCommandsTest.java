package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildCommandsTest {

    private static final BuildCommands.RegistryAccess TOOLS_OWN =
            new BuildCommands.RegistryAccess(Optional.empty(), Optional.empty());

    private final BuildCommands commands = new BuildCommands(Path.of("/w/storage"), Path.of("/w/run"));

    @Test
    void buildsRootfulWithVfsAndChrootForTheRequestedPlatform() {
        assertThat(commands.build(
                        Platform.parse("arm64"),
                        Path.of("/w/src/docker/Containerfile"),
                        Map.of("VERSION", "1.2", "A_FLAG", "x=y"),
                        LayerCache.USE,
                        Path.of("/w/j/image-id"),
                        Path.of("/w/src"),
                        TOOLS_OWN))
                .containsExactly(
                        "buildah",
                        "--storage-driver",
                        "vfs",
                        "--root",
                        "/w/storage",
                        "--runroot",
                        "/w/run",
                        "build",
                        "--isolation",
                        "chroot",
                        "--platform",
                        "linux/arm64",
                        "-f",
                        "/w/src/docker/Containerfile",
                        "--pull=true",
                        "--layers",
                        "--build-arg",
                        "A_FLAG=x=y",
                        "--build-arg",
                        "VERSION=1.2",
                        "--iidfile",
                        "/w/j/image-id",
                        "/w/src");
    }

    /** USE reuses and keeps layers, REFRESH builds every step again and keeps them, OFF neither reuses nor keeps. */
    @Test
    void theLayerCacheDecidesOnLayersAndNoCache() {
        assertThat(buildWith(LayerCache.USE)).contains("--layers").doesNotContain("--no-cache");
        assertThat(buildWith(LayerCache.REFRESH)).containsSequence("--layers", "--no-cache");
        assertThat(buildWith(LayerCache.OFF)).doesNotContain("--layers", "--no-cache");
        assertThat(buildWith(LayerCache.OFF))
                .as("no name: the image is pushed and removed by its id")
                .doesNotContain("-t");
    }

    private List<String> buildWith(LayerCache cache) {
        return commands.build(
                Platform.parse("amd64"),
                Path.of("/s/Containerfile"),
                Map.of(),
                cache,
                Path.of("/j/iid"),
                Path.of("/s"),
                TOOLS_OWN);
    }

    @Test
    void pushesIntoAnOciLayoutWritingTheDigest() {
        assertThat(commands.pushToLayout("localhost/img", Path.of("/w/j/digest"), Path.of("/w/j/layout")))
                .containsExactly(
                        "buildah",
                        "--storage-driver",
                        "vfs",
                        "--root",
                        "/w/storage",
                        "--runroot",
                        "/w/run",
                        "push",
                        "--digestfile",
                        "/w/j/digest",
                        "localhost/img",
                        "oci:/w/j/layout:img");
    }

    @Test
    void copiesToTheRegistryByDigestKeepingIt() {
        assertThat(BuildCommands.copyToRegistry(
                        Path.of("/w/j/layout"), "reg.example.com/team/app", "sha256:abc", false, TOOLS_OWN))
                .containsExactly(
                        "skopeo",
                        "copy",
                        "--preserve-digests",
                        "oci:/w/j/layout:img",
                        "docker://reg.example.com/team/app@sha256:abc");
    }

    @Test
    void talksPlainHttpOnlyToInsecureRegistries() {
        assertThat(BuildCommands.copyToRegistry(Path.of("/l"), "127.0.0.1:5000/demo", "sha256:abc", true, TOOLS_OWN))
                .containsExactly(
                        "skopeo",
                        "copy",
                        "--preserve-digests",
                        "--dest-tls-verify=false",
                        "oci:/l:img",
                        "docker://127.0.0.1:5000/demo@sha256:abc");
    }

    @Test
    void givesTheJobsAuthFileAndCertDirectoryToTheBuildAndThePush() {
        BuildCommands.RegistryAccess access = new BuildCommands.RegistryAccess(
                Optional.of(Path.of("/w/j/auth.json")), Optional.of(Path.of("/certs/reg:5443")));
        assertThat(commands.build(
                        Platform.parse("amd64"),
                        Path.of("/w/src/Containerfile"),
                        Map.of(),
                        LayerCache.USE,
                        Path.of("/w/j/iid"),
                        Path.of("/w/src"),
                        access))
                .containsSequence("--authfile", "/w/j/auth.json", "--cert-dir", "/certs/reg:5443");
        assertThat(BuildCommands.copyToRegistry(Path.of("/l"), "reg:5443/team/app", "sha256:abc", false, access))
                .containsSequence("--dest-authfile", "/w/j/auth.json", "--dest-cert-dir", "/certs/reg:5443")
                .endsWith("docker://reg:5443/team/app@sha256:abc");
    }

    @Test
    void removesTheLocalImageFromTheSameStorage() {
        assertThat(commands.removeImage("localhost/img"))
                .endsWith("rmi", "-f", "localhost/img")
                .contains("--root", "/w/storage");
    }
}
