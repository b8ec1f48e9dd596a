package io.archfarm.model.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts the secrets the farm must be able to read back (webhook secrets, forge API tokens, registry credentials)
 * with AES-256-GCM under the farm's key, {@code archfarm.security.secret-key}. The portal seals them; the scheduler
 * opens registry credentials with the same key. A stored value is {@code v1:<base64(nonce | ciphertext | tag)>}; the
 * version prefix leaves room for a second key during a key rotation.
 */
public final class SecretKeyBox {

    public static final String SETTING = "archfarm.security.secret-key (ARCHFARM_SECURITY_SECRET_KEY)";

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param configured the base64 key as configured
     * @param why        what the part needs the key for, for the message when it is missing
     */
    public SecretKeyBox(@Nullable String configured, String why) {
        this.key = new SecretKeySpec(keyBytes(configured, why), "AES");
    }

    public String seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret: " + e.getMessage(), e);
        }
    }

    public String open(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored secret is not in the v1 format this farm reads");
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot decrypt a stored secret: was archfarm.security.secret-key" + " changed? ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static byte[] keyBytes(@Nullable String configured, String why) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(SETTING + " is not set: " + why + "; create one with "
                    + "'openssl rand -base64 32', keep it safe, and give every portal and scheduler the same one");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("archfarm.security.secret-key is not base64: " + e.getMessage());
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("archfarm.security.secret-key must be 32 bytes (base64 of 'openssl rand "
                    + "-base64 32'), not " + bytes.length);
        }
        return bytes;
    }
}
