package io.archfarm.model.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and its password or token for one registry ({@code host[:port]}). {@link #toString()} never shows the
 * secret, so a credential can pass through log statements and exception messages without leaking.
 */
public record RegistryCredential(String registry, String username, String secret) {

    public RegistryCredential {
        if (registry == null
                || registry.isBlank()
                || username == null
                || username.isBlank()
                || secret == null
                || secret.isEmpty()) {
            throw new IllegalArgumentException("a registry credential needs a registry, a user name and a secret");
        }
    }

    /** The {@code auth} value of a containers auth file and of an HTTP Basic header: base64 of user:secret. */
    public String basic() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads an {@code auth} value of a containers auth file. */
    public static RegistryCredential fromBasic(String registry, String auth) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the auth entry of " + registry + " is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the auth entry of " + registry + " is not base64 of user:secret");
        }
        return new RegistryCredential(registry, decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "RegistryCredential[" + username + "@" + registry + "]";
    }
}
