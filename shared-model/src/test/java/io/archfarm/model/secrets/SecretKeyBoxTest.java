package io.archfarm.model.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretKeyBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void opensWhatItSealed() {
        SecretKeyBox box = new SecretKeyBox(KEY, "test");

        String stored = box.seal("robot-secret");

        assertThat(stored).startsWith("v1:").doesNotContain("robot-secret");
        assertThat(box.open(stored)).isEqualTo("robot-secret");
    }

    @Test
    void aBoxWithTheSameKeyOpensWhatAnotherSealed() {
        String stored = new SecretKeyBox(KEY, "portal").seal("robot-secret");

        assertThat(new SecretKeyBox(KEY, "scheduler").open(stored)).isEqualTo("robot-secret");
    }

    @Test
    void anotherKeyCannotOpenItAndTheMessageSuggestsTheKeyChanged() {
        String stored = new SecretKeyBox(KEY, "portal").seal("robot-secret");

        assertThatThrownBy(() -> new SecretKeyBox(OTHER_KEY, "scheduler").open(stored))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was archfarm.security.secret-key changed?");
    }

    @Test
    void aValueNotInTheV1FormatIsRefused() {
        assertThatThrownBy(() -> new SecretKeyBox(KEY, "test").open("plain-secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("v1 format")
                .hasMessageNotContaining("plain-secret");
    }

    @Test
    void aMissingKeySaysWhatNeedsItAndHowToMakeOne() {
        assertThatThrownBy(() -> new SecretKeyBox(" ", "the scheduler opens project credentials"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SecretKeyBox.SETTING)
                .hasMessageContaining("the scheduler opens project credentials")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void aKeyOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> new SecretKeyBox(Base64.getEncoder().encodeToString(new byte[16]), "test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("not 16");
    }
}
