package io.archfarm.model.registry;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Seals a secret for one worker process: a fresh AES-256-GCM key encrypts it, and the worker's RSA public key
 * (RSA-OAEP with SHA-256) wraps that key. A worker makes its key pair at start-up and keeps the private key in memory
 * only, so what crosses the broker can be opened by the worker that claimed the job, and by nobody who reads the
 * broker, the message store or a later worker on the same host.
 */
public final class WorkerSeal {

    private static final String OAEP = "RSA/ECB/OAEPWithSHA-256AndMGF1Padding";
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final int KEY_BITS = 3072;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkerSeal() {}

    /** A secret sealed for one worker: the wrapped AES key and nonce | ciphertext | tag, both base64. */
    public record Sealed(String key, String box) {}

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an RSA key pair: " + e.getMessage(), e);
        }
    }

    /** The public key as it travels in a claim: base64 of its X.509 SubjectPublicKeyInfo. */
    public static String text(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException when {@code publicKey} is not a base64 RSA public key of at least 2048 bits */
    public static Sealed seal(@Nullable String publicKey, byte[] secret) {
        PublicKey key = publicKey(publicKey);
        try {
            KeyGenerator aes = KeyGenerator.getInstance("AES");
            aes.init(256, RANDOM);
            SecretKey contentKey = aes.generateKey();
            Cipher wrap = Cipher.getInstance(OAEP);
            wrap.init(Cipher.ENCRYPT_MODE, key, OAEP_SHA256);
            byte[] wrapped = wrap.doFinal(contentKey.getEncoded());
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, contentKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = gcm.doFinal(secret);
            Base64.Encoder base64 = Base64.getEncoder();
            return new Sealed(
                    base64.encodeToString(wrapped),
                    base64.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret for a worker: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when {@code sealed} was not sealed for this key or was altered */
    public static byte[] open(PrivateKey key, Sealed sealed) {
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            Cipher unwrap = Cipher.getInstance(OAEP);
            unwrap.init(Cipher.DECRYPT_MODE, key, OAEP_SHA256);
            SecretKeySpec contentKey = new SecretKeySpec(unwrap.doFinal(base64.decode(sealed.key())), "AES");
            byte[] box = base64.decode(sealed.box());
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, contentKey, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
            return gcm.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "a sealed secret cannot be opened with this worker's key ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static PublicKey publicKey(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no worker public key to seal the secret for");
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
            if (((RSAPublicKey) key).getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("a worker's public key must have at least 2048 bits");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a worker's RSA public key: " + e.getMessage(), e);
        }
    }
}
