package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistriesConfTest {

    @Test
    void marksEveryInsecureRegistry() {
        assertThat(RegistriesConf.render(List.of("127.0.0.1:5000", "registry.lan")))
                .contains("[[registry]]\nlocation = \"127.0.0.1:5000\"\ninsecure = true\n")
                .contains("location = \"registry.lan\"\ninsecure = true");
    }

    @Test
    void refusesAValueThatWouldBreakTheFileNamingIt() {
        assertThatThrownBy(() -> RegistriesConf.render(List.of("evil\"\n[x]")))
                .hasMessageContaining("archfarm.registry.insecure")
                .hasMessageContaining("evil");
    }
}
