package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad flag or argument ends with exit code 2 and a message that says what was wrong, before the farm is asked. */
class UsageErrorsTest {

    @TempDir
    Path home;

    private Run.Result afctl(String... args) {
        // a farm that refuses connections: a usage error must not get as far as asking it
        return new Run(home)
                .env("AFCTL_URL", "http://127.0.0.1:9")
                .env("AFCTL_TOKEN", "t")
                .afctl(args);
    }

    @Test
    void anUnknownFlagNamesItAndWhereHelpIs() {
        Run.Result result = afctl("build", "--frob", "git://x/y.git");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("afctl: Unknown option: '--frob'")
                .contains("Try 'afctl build --help' for more information.");
        assertThat(result.err()).doesNotContain("at io.archfarm", "Exception");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnknownCommandGetsASuggestion() {
        Run.Result result = afctl("bulid");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Unmatched argument at index 0: 'bulid'")
                .contains("build");
    }

    @Test
    void noCommandIsAUsageError() {
        Run.Result result = afctl();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("a command is missing");
    }

    @Test
    void aBuildOfARepositoryNeedsItsPlatformsAndTags() {
        assertThat(afctl("build", "--tag", "r:5000/a/b:1", "git://h/r.git")).satisfies(result -> {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains("--platform is missing");
        });
        assertThat(afctl("build", "--platform", "linux/amd64", "git://h/r.git")).satisfies(result -> {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains("--tag is missing");
        });
        assertThat(afctl("build", "--platform", "linux/amd64", "--tag", "r:5000/a/b:1"))
                .satisfies(result -> {
                    assertThat(result.exitCode()).isEqualTo(2);
                    assertThat(result.err()).contains("REPO is missing");
                });
    }

    @Test
    void tagsOfTwoRepositoriesAreRefused() {
        Run.Result result = afctl(
                "build",
                "--platform",
                "linux/amd64",
                "--tag",
                "r:5000/a/b:1",
                "--tag",
                "r:5000/a/c:1",
                "git://h/r.git");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'r:5000/a/b' and 'r:5000/a/c' differ");
    }

    @Test
    void aProjectBuildRefusesTheSettingsOfTheProject() {
        Run.Result result = afctl("build", "--project", "web/site", "--file", "Dockerfile", "--team", "web");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--file, --team cannot be used with --project");
    }

    @Test
    void aProjectIsTeamSlashProject() {
        Run.Result result = afctl("build", "--project", "site");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--project takes TEAM/PROJECT, not 'site'");
    }

    @Test
    void aBuildArgNeedsAValue() {
        Run.Result result =
                afctl("build", "--platform", "linux/amd64", "--tag", "r:5000/a/b", "--build-arg", "X", "git://h/r.git");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--build-arg").contains("KEY=VALUE");
    }

    @Test
    void quietAndFollowDoNotGoTogether() {
        Run.Result result = afctl("build", "-q", "--follow", "--project", "web/site");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--quiet prints only the id");
    }

    @Test
    void anOutputFormatMustBeKnown() {
        Run.Result result = afctl("builds", "-o", "yaml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid value for option '--output'").contains("TABLE, JSON");
    }

    @Test
    void aLimitOutsideTheApisRangeIsRefused() {
        Run.Result result = afctl("builds", "--limit", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--limit must be 1 to 500, not 0");
    }

    @Test
    void anUnknownPlatformOfALogIsRefused() {
        Run.Result result = afctl("logs", "--platform", "linux/mips128", "3f1c2a9e");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mips128");
    }

    @Test
    void aBuildArgumentThatIsNoIdIsRefused() {
        Run.Result result = afctl("follow", "latest");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'latest' is not a build id");
    }

    @Test
    void aFarmUrlMustBeHttp() {
        Run.Result result = new Run(home).stdin("t\n").afctl("login", "--token-stdin", "ftp://farm");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'ftp://farm' (the URL argument) is not a farm URL");
    }
}
