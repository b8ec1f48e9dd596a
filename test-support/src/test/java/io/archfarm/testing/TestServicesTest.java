package io.archfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestServicesTest {

    @Test
    void autoPicksContainersOnlyWhenDockerAnswers() {
        assertThat(TestServices.resolve(null, () -> true)).isEqualTo(TestServices.Mode.CONTAINERS);
        assertThat(TestServices.resolve("auto", () -> false)).isEqualTo(TestServices.Mode.LOCAL);
    }

    @Test
    void localIsLocalEvenWithDocker() {
        assertThat(TestServices.resolve("local", () -> true)).isEqualTo(TestServices.Mode.LOCAL);
    }

    @Test
    void containersWithoutDockerFailsInsteadOfFallingBack() {
        assertThatThrownBy(() -> TestServices.resolve("containers", () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine");
    }

    @Test
    void unknownSettingIsNamed() {
        assertThatThrownBy(() -> TestServices.resolve("sometimes", () -> true)).hasMessageContaining("'sometimes'");
    }

    @Test
    void freshPrefixesDiffer() {
        assertThat(TestServices.freshPrefix()).startsWith("archfarm-test-").isNotEqualTo(TestServices.freshPrefix());
    }
}
