package io.archfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Platform;
import io.archfarm.model.messages.WorkerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolDetectionTest {

    @TempDir
    Path dir;

    /** Debian's entry names a link that qemu refuses to run as outside binfmt_misc: its target is asked. */
    @Test
    void theQemuOfAnEntryIsAskedUnderItsOwnName() throws IOException {
        Path qemu = script(
                "qemu-aarch64-static",
                "[ \"$(basename \"$0\")\" = qemu-aarch64-static ] || exit 1\n"
                        + "echo 'qemu-aarch64 version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)'\n"
                        + "echo 'Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers'\n");
        Path link = Files.createSymbolicLink(dir.resolve("aarch64-binfmt-P"), qemu);
        Path binfmt = Files.createDirectories(dir.resolve("binfmt_misc"));
        Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter " + link + "\nflags: PF\n");

        WorkerTools tools = ToolDetection.detect(
                List.of(Platform.parse("linux/arm64"), Platform.parse("linux/s390x")), binfmt, "vfs");

        assertThat(tools.qemu())
                .containsEntry("linux/arm64", "7.2.22")
                .as("no entry for the platform: unknown, not a reason to fail")
                .containsEntry("linux/s390x", null);
        assertThat(tools.storageDriver()).isEqualTo("vfs");
        assertThat(tools.kernel()).isNotBlank();
    }

    @Test
    void aToolThatFailsOrSaysNoVersionIsUnknown() throws IOException {
        assertThat(ToolDetection.version(List.of(
                        script("fails", "echo 'buildah version 1.0'; exit 3\n").toString())))
                .isEmpty();
        assertThat(ToolDetection.version(List.of(script("mute", "echo hello\n").toString())))
                .isEmpty();
        assertThat(ToolDetection.version(List.of(dir.resolve("missing").toString())))
                .isEmpty();
        assertThat(ToolDetection.version(List.of(
                        script("skopeo", "echo 'skopeo version 1.9.3'\n").toString())))
                .contains("1.9.3");
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
