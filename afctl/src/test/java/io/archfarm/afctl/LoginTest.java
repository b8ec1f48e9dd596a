package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * {@code afctl login}: the token is checked before it is kept, kept only where its owner can read it, never printed,
 * and sent only to the farm it was given for; the environment wins over the file.
 */
class LoginTest extends AgainstFakeFarm {

    private static final String TOKEN = "af_secret-token-value";
    private static final String ME =
            "{\"username\":\"ci\",\"admin\":false,\"teams\":[{\"slug\":\"web\",\"name\":\"Web\","
                    + "\"role\":\"DEVELOPER\"}]}";

    LoginTest() {
        farm.on("GET /api/v1/users/me", FakeFarm.Answer.json(ME)).on("GET /api/v1/workers", FakeFarm.Answer.json("[]"));
    }

    private Path config() {
        return home.resolve(".config/afctl/config");
    }

    @Test
    void aCheckedTokenIsKeptInAFileOnlyItsOwnerReads() throws Exception {
        Run.Result result = new Run(home).stdin(TOKEN + "\n").afctl("login", "--token-stdin", farm.url() + "/");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Logged in to " + farm.url() + " as ci (teams: web developer).");
        assertThat(result.out() + result.err()).doesNotContain(TOKEN);
        assertThat(farm.requests().getFirst().authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config().getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(config())).contains("url = " + farm.url() + "\n", "token = " + TOKEN + "\n");
        try (var leftovers = Files.list(config().getParent())) {
            assertThat(leftovers).containsExactly(config());
        }

        assertThat(new Run(home).afctl("workers").exitCode()).isZero();
        assertThat(farm.requests().getLast().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aRefusedTokenIsNotKept() {
        farm.on("GET /api/v1/users/me", FakeFarm.Answer.problem(401, "Unauthorized", "the token is not valid"));

        Run.Result result = new Run(home).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .contains("refused the token")
                .contains("nothing was saved")
                .doesNotContain(TOKEN);
        assertThat(config()).doesNotExist();
    }

    @Test
    void withoutATerminalTheTokenMustComeOnStandardInput() {
        Run.Result result = new Run(home).afctl("login", farm.url());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--token-stdin");
    }

    @Test
    void theEnvironmentWinsOverTheFile() {
        new Run(home).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());

        new Run(home).env("AFCTL_TOKEN", "from-env").afctl("workers");

        assertThat(farm.requests().getLast().authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void theFilesTokenGoesToNoOtherFarm() {
        new Run(home).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());

        Run.Result result = new Run(home).env("AFCTL_URL", "http://127.0.0.1:9").afctl("workers");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no API token for http://127.0.0.1:9");
    }

    @Test
    void aFileOthersMayReadGetsAWarning() throws Exception {
        new Run(home).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());
        Files.setPosixFilePermissions(config(), PosixFilePermissions.fromString("rw-r--r--"));

        Run.Result result = new Run(home).afctl("workers");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("afctl: warning: " + config() + " may be read by others (rw-r--r--)");
    }

    @Test
    void logoutForgetsTheTokenAndKeepsTheUrl() throws Exception {
        new Run(home).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());

        assertThat(new Run(home).afctl("logout").exitCode()).isZero();

        assertThat(Files.readString(config())).contains("url = " + farm.url()).doesNotContain(TOKEN);
        assertThat(new Run(home).afctl("workers").err()).contains("no API token for " + farm.url());
    }

    @Test
    void xdgConfigHomeIsWhereTheFileGoes() {
        Path xdg = home.resolve("xdg");

        new Run(home).env("XDG_CONFIG_HOME", xdg.toString()).stdin(TOKEN).afctl("login", "--token-stdin", farm.url());

        assertThat(xdg.resolve("afctl/config")).exists();
        assertThat(config()).doesNotExist();
    }
}
