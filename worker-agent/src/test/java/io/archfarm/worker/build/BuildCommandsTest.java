package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Platform;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildCommandsTest {

    private final BuildCommands commands = new BuildCommands(Path.of("/w/storage"), Path.of("/w/run"));

    @Test
    void buildsRootfulWithVfsAndChrootForTheRequestedPlatform() {
        assertThat(commands.build(Platform.parse("arm64"), Path.of("/w/src/docker/Containerfile"),
                Map.of("VERSION", "1.2", "A_FLAG", "x=y"), "localhost/archfarm-job-1-1", Path.of("/w/src")))
                .containsExactly("buildah", "--storage-driver", "vfs", "--root", "/w/storage", "--runroot", "/w/run",
                        "build", "--isolation", "chroot", "--platform", "linux/arm64",
                        "-f", "/w/src/docker/Containerfile",
                        "--build-arg", "A_FLAG=x=y", "--build-arg", "VERSION=1.2",
                        "-t", "localhost/archfarm-job-1-1", "/w/src");
    }

    @Test
    void pushesIntoAnOciLayoutWritingTheDigest() {
        assertThat(commands.pushToLayout("localhost/img", Path.of("/w/j/digest"), Path.of("/w/j/layout")))
                .containsExactly("buildah", "--storage-driver", "vfs", "--root", "/w/storage", "--runroot", "/w/run",
                        "push", "--digestfile", "/w/j/digest", "localhost/img", "oci:/w/j/layout:img");
    }

    @Test
    void copiesToTheRegistryByDigestKeepingIt() {
        assertThat(BuildCommands.copyToRegistry(Path.of("/w/j/layout"), "reg.example.com/team/app",
                "sha256:abc", false))
                .containsExactly("skopeo", "copy", "--preserve-digests", "oci:/w/j/layout:img",
                        "docker://reg.example.com/team/app@sha256:abc");
    }

    @Test
    void talksPlainHttpOnlyToInsecureRegistries() {
        assertThat(BuildCommands.copyToRegistry(Path.of("/l"), "127.0.0.1:5000/demo", "sha256:abc", true))
                .containsExactly("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:/l:img",
                        "docker://127.0.0.1:5000/demo@sha256:abc");
    }

    @Test
    void removesTheLocalImageFromTheSameStorage() {
        assertThat(commands.removeImage("localhost/img")).endsWith("rmi", "-f", "localhost/img")
                .contains("--root", "/w/storage");
    }
}
