package io.archfarm.portal.secrets;

import io.archfarm.model.secrets.SecretKeyBox;
import io.archfarm.portal.SecurityProperties;
import org.springframework.stereotype.Component;

/** The portal's {@link SecretKeyBox}: seals webhook secrets, forge tokens and registry credentials. */
@Component
public class SecretBox {

    private final SecretKeyBox box;

    public SecretBox(SecurityProperties properties) {
        this.box = new SecretKeyBox(
                properties.secretKey(),
                "the portal needs it to encrypt webhook secrets, forge tokens and registry credentials");
    }

    public String seal(String plaintext) {
        return box.seal(plaintext);
    }

    public String open(String stored) {
        return box.open(stored);
    }
}
