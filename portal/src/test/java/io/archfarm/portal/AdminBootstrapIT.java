package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.ArchfarmTestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** Without ARCHFARM_ADMIN_PASSWORD the first start generates the admin's password into an owner-only file. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.security.admin-password=",
            "archfarm.security.admin-password-file=target/generated-admin-password"
        })
@Import(ArchfarmTestServices.class)
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapIT {

    @LocalServerPort
    int port;

    @Test
    void theGeneratedPasswordIsInAFileOnlyItsOwnerReadsAndSignsTheAdminIn(CapturedOutput output) throws Exception {
        Path file = Path.of("target/generated-admin-password");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(output.getAll())
                .as("the log says where the password is, never what it is")
                .contains("Created the admin account 'admin' with a generated password, written to "
                        + file.toAbsolutePath())
                .doesNotContain(password);

        PortalApi admin = new PortalApi(port).as(PortalApi.ADMIN, password);
        assertThat(admin.get("/api/v1/users/me").json().path("admin").asBoolean())
                .isTrue();
        assertThat(new PortalApi(port)
                        .withAuthorization(PortalApi.basic(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD))
                        .post("/api/v1/tokens", "{\"name\":\"x\"}")
                        .status())
                .isEqualTo(401);
    }
}
