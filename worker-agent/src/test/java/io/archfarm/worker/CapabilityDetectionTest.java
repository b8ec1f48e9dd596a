package io.archfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class CapabilityDetectionTest {

    @TempDir
    Path binfmt;

    @BeforeEach
    void fakeBinfmtMisc() throws IOException {
        Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64\n");
        Files.writeString(binfmt.resolve("qemu-s390x"), "disabled\ninterpreter /usr/libexec/qemu-binfmt/s390x\n");
        Files.writeString(binfmt.resolve("qemu-mips"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/mips\n");
        Files.writeString(binfmt.resolve("python3.11"), "enabled\ninterpreter /usr/bin/python3.11\n");
        Files.writeString(binfmt.resolve("status"), "enabled\n");
        Files.writeString(binfmt.resolve("register"), "");
    }

    @Test
    void emulatesOnlyEnabledQemuEntriesOfPlatformsTheFarmBuilds() {
        assertThat(CapabilityDetection.emulatedByBinfmt(binfmt)).containsExactly(Platform.LINUX_ARM64);
    }

    @Test
    void aMissingBinfmtDirectoryMeansNoEmulation() {
        assertThat(CapabilityDetection.emulatedByBinfmt(binfmt.resolve("absent")))
                .isEmpty();
    }

    @Test
    void detectsTheJvmArchitectureNativelyAndDropsItFromTheEmulatedOnes() throws IOException {
        Files.writeString(binfmt.resolve("qemu-x86_64"), "enabled\n");
        Capabilities capabilities = CapabilityDetection.of(properties(null, null, 2));
        Platform jvm = Platform.ofJvm().orElseThrow();
        assertThat(capabilities.nativePlatforms()).containsExactly(jvm);
        assertThat(capabilities.emulatedPlatforms()).doesNotContain(jvm).contains(Platform.LINUX_ARM64);
        assertThat(capabilities.slots()).isEqualTo(2);
    }

    @Test
    void configuredListsReplaceDetectionAndAreCanonical() {
        Capabilities capabilities =
                CapabilityDetection.of(properties(List.of("aarch64"), List.of("linux/s390x", "x86_64", "arm64/v8"), 1));
        assertThat(capabilities.nativeNames()).containsExactly("linux/arm64");
        assertThat(capabilities.emulatedNames()).containsExactly("linux/amd64", "linux/s390x");
    }

    @Test
    void noneMeansNothing() {
        Capabilities capabilities = CapabilityDetection.of(properties(List.of("none"), List.of("NONE"), 1));
        assertThat(capabilities.nativePlatforms()).isEmpty();
        assertThat(capabilities.emulatedPlatforms()).isEmpty();
    }

    @Test
    void aBadPlatformFailsNamingThePropertyAndTheValue() {
        assertThatThrownBy(() -> CapabilityDetection.of(properties(List.of("linux/amd64", "sparc99"), null, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archfarm.worker.native-platforms")
                .hasMessageContaining("'sparc99'");
        assertThatThrownBy(() -> CapabilityDetection.of(properties(null, List.of("windows/amd64"), 1)))
                .hasMessageContaining("archfarm.worker.emulated-platforms")
                .hasMessageContaining("'windows/amd64'");
    }

    @Test
    void noneCannotBeMixedWithPlatforms() {
        assertThatThrownBy(() -> CapabilityDetection.of(properties(List.of("none", "linux/amd64"), null, 1)))
                .hasMessageContaining("archfarm.worker.native-platforms")
                .hasMessageContaining("'none'");
    }

    private WorkerProperties properties(List<String> nativePlatforms, List<String> emulatedPlatforms, int slots) {
        return new WorkerProperties(
                "w1",
                slots,
                nativePlatforms,
                emulatedPlatforms,
                null,
                null,
                binfmt,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                "auto",
                DataSize.ofGigabytes(20),
                null,
                "127.0.0.1");
    }
}
