package io.archfarm.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WorkerSealTest {

    private static final byte[] SECRET =
            "{\"username\":\"robot\",\"secret\":\"s3cr3t\"}".getBytes(StandardCharsets.UTF_8);
    private static final KeyPair WORKER = WorkerSeal.newKeyPair();
    private static final KeyPair OTHER_WORKER = WorkerSeal.newKeyPair();

    @Test
    void theWorkerWhoseKeyItWasSealedForOpensIt() {
        WorkerSeal.Sealed sealed = WorkerSeal.seal(WorkerSeal.text(WORKER.getPublic()), SECRET);

        assertThat(WorkerSeal.open(WORKER.getPrivate(), sealed)).isEqualTo(SECRET);
    }

    @Test
    void theSealedFormShowsNothingOfTheSecret() {
        WorkerSeal.Sealed sealed = WorkerSeal.seal(WorkerSeal.text(WORKER.getPublic()), SECRET);

        assertThat(sealed.toString()).doesNotContain("s3cr3t").doesNotContain("robot");
        assertThat(Base64.getDecoder().decode(sealed.box()))
                .asString(StandardCharsets.ISO_8859_1)
                .doesNotContain("s3cr3t");
    }

    @Test
    void sealingTheSameSecretTwiceGivesDifferentBoxes() {
        String key = WorkerSeal.text(WORKER.getPublic());

        WorkerSeal.Sealed first = WorkerSeal.seal(key, SECRET);
        WorkerSeal.Sealed second = WorkerSeal.seal(key, SECRET);

        assertThat(second.key()).isNotEqualTo(first.key());
        assertThat(second.box()).isNotEqualTo(first.box());
    }

    @Test
    void anotherWorkersKeyCannotOpenIt() {
        WorkerSeal.Sealed sealed = WorkerSeal.seal(WorkerSeal.text(WORKER.getPublic()), SECRET);

        assertThatThrownBy(() -> WorkerSeal.open(OTHER_WORKER.getPrivate(), sealed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be opened with this worker's key");
    }

    @Test
    void aTamperedBoxIsRefused() {
        WorkerSeal.Sealed sealed = WorkerSeal.seal(WorkerSeal.text(WORKER.getPublic()), SECRET);
        byte[] box = Base64.getDecoder().decode(sealed.box());
        box[box.length / 2] ^= 1;
        WorkerSeal.Sealed tampered =
                new WorkerSeal.Sealed(sealed.key(), Base64.getEncoder().encodeToString(box));

        assertThatThrownBy(() -> WorkerSeal.open(WORKER.getPrivate(), tampered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be opened with this worker's key");
    }

    @Test
    void aBoxSealedUnderAnotherContentKeyIsRefused() {
        String key = WorkerSeal.text(WORKER.getPublic());
        WorkerSeal.Sealed first = WorkerSeal.seal(key, SECRET);
        WorkerSeal.Sealed second = WorkerSeal.seal(key, SECRET);

        assertThatThrownBy(() -> WorkerSeal.open(WORKER.getPrivate(), new WorkerSeal.Sealed(first.key(), second.box())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTruncatedBoxIsRefused() {
        WorkerSeal.Sealed sealed = WorkerSeal.seal(WorkerSeal.text(WORKER.getPublic()), SECRET);

        assertThatThrownBy(() -> WorkerSeal.open(WORKER.getPrivate(), new WorkerSeal.Sealed(sealed.key(), "AAAA")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be opened with this worker's key");
    }

    @Test
    void aShortRsaKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String shortKey = WorkerSeal.text(generator.generateKeyPair().getPublic());

        assertThatThrownBy(() -> WorkerSeal.seal(shortKey, SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2048 bits");
    }

    @Test
    void aMissingPublicKeyIsRefused() {
        assertThatThrownBy(() -> WorkerSeal.seal(null, SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no worker public key");
        assertThatThrownBy(() -> WorkerSeal.seal("  ", SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no worker public key");
    }

    @Test
    void aPublicKeyThatIsNotRsaIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        String ecKey = WorkerSeal.text(generator.generateKeyPair().getPublic());

        assertThatThrownBy(() -> WorkerSeal.seal(ecKey, SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a worker's RSA public key");
        assertThatThrownBy(() -> WorkerSeal.seal("not-base64!", SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a worker's RSA public key");
    }
}
