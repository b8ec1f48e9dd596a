package io.archfarm.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialTest {

    @Test
    void toStringNamesTheUserAndRegistryButNeverTheSecret() {
        RegistryCredential credential = new RegistryCredential("registry.example:5000", "robot$ci", "s3cr3t-token");

        assertThat(credential.toString())
                .contains("robot$ci")
                .contains("registry.example:5000")
                .doesNotContain("s3cr3t-token")
                .doesNotContain(credential.basic());
    }

    @Test
    void basicIsBase64OfUserColonSecret() {
        RegistryCredential credential = new RegistryCredential("registry.example", "ci", "pässword");

        assertThat(new String(Base64.getDecoder().decode(credential.basic()), StandardCharsets.UTF_8))
                .isEqualTo("ci:pässword");
    }

    @Test
    void fromBasicReadsWhatBasicWroteEvenWhenTheSecretHoldsColons() {
        RegistryCredential credential = new RegistryCredential("registry.example", "ci", "a:b::c");

        assertThat(RegistryCredential.fromBasic("registry.example", credential.basic()))
                .isEqualTo(credential);
    }

    @Test
    void fromBasicIgnoresSurroundingWhitespace() {
        String auth = " " + base64("ci:secret") + "\n";

        assertThat(RegistryCredential.fromBasic("registry.example", auth))
                .isEqualTo(new RegistryCredential("registry.example", "ci", "secret"));
    }

    @Test
    void anAuthEntryThatIsNotBase64IsRefusedNamingTheRegistryNotTheEntry() {
        assertThatThrownBy(() -> RegistryCredential.fromBasic("registry.example", "not*base64!secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry.example")
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anAuthEntryWithoutAColonIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> RegistryCredential.fromBasic("registry.example", base64("justasecret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry.example")
                .hasMessageContaining("user:secret")
                .hasMessageNotContaining("justasecret");
    }

    @Test
    void anAuthEntryWithAnEmptyUserIsRefused() {
        assertThatThrownBy(() -> RegistryCredential.fromBasic("registry.example", base64(":secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user:secret");
    }

    @Test
    void aCredentialNeedsRegistryUserAndSecret() {
        assertThatThrownBy(() -> new RegistryCredential(" ", "ci", "secret"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryCredential("registry.example", "", "secret"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryCredential.fromBasic("registry.example", base64("ci:")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a secret");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
