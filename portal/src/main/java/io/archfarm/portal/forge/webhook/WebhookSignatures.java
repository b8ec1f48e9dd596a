package io.archfarm.portal.forge.webhook;

import io.archfarm.portal.forge.Forge;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;

/**
 * Checks that a delivery comes from the forge holding the project's webhook secret, exactly as each forge documents
 * it: GitHub signs the raw body with HMAC-SHA256 and sends {@code sha256=<hex>} in {@code X-Hub-Signature-256}; Gitea
 * and Forgejo send the bare hex HMAC-SHA256 in {@code X-Gitea-Signature} / {@code X-Forgejo-Signature}; GitLab sends
 * the secret itself in {@code X-Gitlab-Token}. Every comparison takes the same time whatever the presented value, so
 * that timing reveals nothing of the expected one.
 */
public final class WebhookSignatures {

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String GITHUB_PREFIX = "sha256=";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private WebhookSignatures() {}

    /**
     * Checks the delivery's signature or token against {@code secret}.
     *
     * @throws WebhookRejectedException when the expected header is missing, unreadable or does not match, saying
     *         which header and why
     * @throws IllegalArgumentException when {@code secret} is null or empty: with no secret nothing can be verified,
     *         and an HMAC under an empty key would be forgeable by anyone
     */
    public static void verify(Forge forge, HttpHeaders headers, byte[] body, String secret) {
        Objects.requireNonNull(forge, "forge");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(
                    "no webhook secret to verify the " + forge.wireName() + " delivery with");
        }
        WebhookHeaders names = WebhookHeaders.of(forge);
        WebhookHeaders.Value proof = WebhookHeaders.first(headers, names.proof())
                .orElseThrow(() -> new WebhookRejectedException("the delivery has no "
                        + WebhookHeaders.described(names.proof()) + " header: set the project's webhook secret in the "
                        + forge.wireName() + " webhook settings"));
        switch (forge) {
            case GITHUB -> checkGitHubSignature(proof, body, secret);
            case GITLAB -> checkToken(proof, secret);
            case GITEA, FORGEJO -> checkHexSignature(proof, proof.value(), body, secret);
        }
    }

    /** {@code sha256=<hex>} of HMAC-SHA256(secret, body): the value GitHub sends in {@code X-Hub-Signature-256}. */
    public static String githubSignature(String secret, byte[] body) {
        return GITHUB_PREFIX + hexHmacSha256(secret, body);
    }

    /** Lowercase hex of HMAC-SHA256(secret, body): the value Gitea and Forgejo send in their signature headers. */
    public static String hexHmacSha256(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    private static void checkGitHubSignature(WebhookHeaders.Value proof, byte[] body, String secret) {
        if (!proof.value().startsWith(GITHUB_PREFIX)) {
            throw new WebhookRejectedException(proof.name() + " does not start with '" + GITHUB_PREFIX
                    + "': GitHub sends 'sha256=' followed by the hex HMAC-SHA256 of the body");
        }
        checkHexSignature(proof, proof.value().substring(GITHUB_PREFIX.length()), body, secret);
    }

    private static void checkHexSignature(WebhookHeaders.Value proof, String hex, byte[] body, String secret) {
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new WebhookRejectedException(proof.name()
                    + " is not an HMAC-SHA256 signature: expected 64 hex digits, got " + hex.length() + " characters");
        }
        if (!MessageDigest.isEqual(HexFormat.of().parseHex(hex), hmacSha256(secret, body))) {
            throw new WebhookRejectedException(proof.name()
                    + " does not match the body signed with the project's webhook secret: the forge signs with another"
                    + " secret, or the body was changed on the way");
        }
    }

    /** {@link MessageDigest#isEqual}'s time depends only on its first argument's length: the presented token. */
    private static void checkToken(WebhookHeaders.Value proof, String secret) {
        if (!MessageDigest.isEqual(
                proof.value().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookRejectedException(proof.name()
                    + " does not match the project's webhook secret: set the project's current secret as the"
                    + " webhook's secret token in GitLab");
        }
    }

    private static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + HMAC_SHA256, e);
        }
    }
}
