package io.archfarm.portal;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secretKey         base64 of 32 random bytes (e.g. {@code openssl rand -base64 32}): encrypts webhook
 *                          secrets and forge tokens at rest. Required; losing it makes those secrets unreadable.
 * @param adminPassword     the first admin's password, used only when the farm has no admin yet
 *                          ({@code ARCHFARM_ADMIN_PASSWORD}); blank: generate one
 * @param adminPasswordFile where a generated admin password is written, readable by its owner only
 */
@ConfigurationProperties("archfarm.security")
public record SecurityProperties(
        @Nullable String secretKey,
        @Nullable String adminPassword,
        @DefaultValue("admin-password") Path adminPasswordFile) {}
