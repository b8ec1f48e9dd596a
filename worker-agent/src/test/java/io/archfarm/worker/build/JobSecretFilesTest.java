package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's secrets become buildah --secret files readable by the worker only, and are gone when closed. */
class JobSecretFilesTest {

    @TempDir
    Path jobDir;

    @Test
    void eachSecretIsAFileOfItsOwnInADirectoryOnlyTheWorkerReads() throws Exception {
        Path dir = jobDir.resolve("secrets");
        List<String> command;
        try (JobSecretFiles files =
                JobSecretFiles.write(dir, JobSecrets.of(Map.of("canary", "v1\n", "npm.rc", "v2")))) {
            command = files.addTo(List.of("buildah", "--root", "/r", "build", "--platform", "linux/amd64", "ctx"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret-1"))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve("secret-1"))).isEqualTo("v1\n");
            assertThat(Files.readString(dir.resolve("secret-2"))).isEqualTo("v2");
        }
        assertThat(command)
                .containsExactly(
                        "buildah",
                        "--root",
                        "/r",
                        "build",
                        "--secret",
                        "id=canary,src=" + dir.resolve("secret-1"),
                        "--secret",
                        "id=npm.rc,src=" + dir.resolve("secret-2"),
                        "--platform",
                        "linux/amd64",
                        "ctx");
        assertThat(dir).doesNotExist();
    }

    @Test
    void anIdThatWouldAddOptionsToBuildahFailsTheJobAndLeavesNoFile() {
        Path dir = jobDir.resolve("secrets");
        assertThatThrownBy(() -> JobSecretFiles.write(dir, JobSecrets.of(Map.of("ok", "v", "x,src=/etc/shadow", "v"))))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("x,src=/etc/shadow");
        assertThat(dir).doesNotExist();
    }

    @Test
    void noSecretsWriteNothingAndLeaveTheCommandAsItIs() throws Exception {
        Path dir = jobDir.resolve("secrets");
        List<String> command = List.of("buildah", "build", "ctx");
        try (JobSecretFiles files = JobSecretFiles.write(dir, JobSecrets.none())) {
            assertThat(files.addTo(command)).isSameAs(command);
        }
        assertThat(dir).doesNotExist();
    }
}
