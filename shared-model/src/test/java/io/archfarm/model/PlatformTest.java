package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "linux/amd64, linux/amd64",
        "x86_64, linux/amd64",
        "linux/x86_64, linux/amd64",
        "AMD64, linux/amd64",
        "aarch64, linux/arm64",
        "arm64, linux/arm64",
        "arm64/v8, linux/arm64",
        "linux/arm64/v8, linux/arm64",
        "linux/aarch64, linux/arm64",
        "armhf, linux/arm/v7",
        "arm/v7, linux/arm/v7",
        "linux/arm, linux/arm/v7",
        "linux/arm/v6, linux/arm/v6",
        "ppc64le, linux/ppc64le",
        "ppc64el, linux/ppc64le",
        "s390x, linux/s390x",
        "riscv64, linux/riscv64",
        "386, linux/386",
        "i686, linux/386",
        "' linux/s390x ', linux/s390x",
    })
    void normalisesAliases(String input, String canonical) {
        assertThat(Platform.parse(input)).hasToString(canonical);
    }

    @Test
    void aliasesOfOnePlatformAreEqual() {
        assertThat(Platform.parse("aarch64"))
                .isEqualTo(Platform.parse("linux/arm64/v8"))
                .isEqualTo(Platform.LINUX_ARM64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/sparc", "mips", "linux/", "/arm64", "linux/arm64/v8/x", "linux//arm64", "z80"})
    void rejectsUnknownOrMalformedNamingTheValue(String input) {
        assertThatThrownBy(() -> Platform.parse(input))
                .isInstanceOf(UnknownPlatformException.class)
                .hasMessageContaining("'" + input + "'");
    }

    @Test
    void rejectsOtherOperatingSystems() {
        assertThatThrownBy(() -> Platform.parse("windows/amd64"))
                .hasMessageContaining("'windows/amd64'")
                .hasMessageContaining("only linux");
    }

    @Test
    void rejectsEmpty() {
        assertThatThrownBy(() -> Platform.parse(" ")).isInstanceOf(UnknownPlatformException.class);
        assertThatThrownBy(() -> Platform.parse(null)).isInstanceOf(UnknownPlatformException.class);
    }

    @Test
    void mapsQemuBinfmtEntries() {
        assertThat(Platform.ofQemuBinfmtEntry("qemu-aarch64")).contains(Platform.LINUX_ARM64);
        assertThat(Platform.ofQemuBinfmtEntry("qemu-s390x")).contains(Platform.LINUX_S390X);
        assertThat(Platform.ofQemuBinfmtEntry("qemu-arm")).contains(Platform.parse("linux/arm/v7"));
        assertThat(Platform.ofQemuBinfmtEntry("qemu-i386")).contains(Platform.parse("linux/386"));
        assertThat(Platform.ofQemuBinfmtEntry("qemu-mips")).isEmpty();
        assertThat(Platform.ofQemuBinfmtEntry("python3.11")).isEmpty();
    }

    @Test
    void keysAreSafeForQueueNames() {
        assertThat(Platform.parse("armhf").key()).isEqualTo("linux-arm-v7");
        assertThat(Platform.LINUX_ARM64.qemuName()).isEqualTo("aarch64");
    }

    @Test
    void theJvmRunsAKnownPlatform() {
        assertThat(Platform.ofJvm()).isPresent();
    }
}
