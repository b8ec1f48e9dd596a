package io.archfarm.portal.accounts;

import io.archfarm.portal.SecurityProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure the farm has an admin: on the first start (no admin yet) it creates {@code admin}, with the password
 * from {@code archfarm.security.admin-password} ({@code ARCHFARM_ADMIN_PASSWORD}) or a generated one that is
 * written to {@code archfarm.security.admin-password-file}, readable by its owner only.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final Accounts accounts;
    private final SecurityProperties properties;

    AdminBootstrap(UserRepository users, Accounts accounts, SecurityProperties properties) {
        this.users = users;
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (users.existsByAdminTrue()) {
            return;
        }
        String configured = properties.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = configured == null || configured.isBlank() ? generatePassword() : configured;
        if (!generated && password.length() < Accounts.MIN_PASSWORD_LENGTH) {
            throw new IllegalStateException("ARCHFARM_ADMIN_PASSWORD (archfarm.security.admin-password) must have at "
                    + "least " + Accounts.MIN_PASSWORD_LENGTH + " characters");
        }
        if (generated) {
            // written before the account exists: a crash in between leaves a file, never an admin nobody can use
            writeOwnerOnly(properties.adminPasswordFile(), password);
        }
        try {
            accounts.createUser(ADMIN, password, "Administrator", true);
        } catch (RuntimeException e) {
            if (users.existsByAdminTrue()) {
                return; // another portal instance bootstrapped the admin at the same moment
            }
            throw e;
        }
        if (generated) {
            // never the password itself: logs are kept, shipped and read by more people than the admin
            LOG.warn(
                    "Created the admin account '{}' with a generated password, written to {} (readable by its owner"
                            + " only)",
                    ADMIN,
                    properties.adminPasswordFile().toAbsolutePath());
        } else {
            LOG.info("Created the admin account '{}' with the password from ARCHFARM_ADMIN_PASSWORD", ADMIN);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeOwnerOnly(Path file, String password) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write the admin password to " + file + ": it appeared meanwhile", e);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }
}
