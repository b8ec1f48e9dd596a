package io.archfarm.model.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ImageReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthEntriesTest {

    private static final String REGISTRY = "registry.example:5000";

    @Test
    void findsTheRegistrysEntryForAnyRepositoryOnIt() {
        AuthEntries entries = new AuthEntries(Map.of(REGISTRY, auth("ci", "secret")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .contains(new RegistryCredential(REGISTRY, "ci", "secret"));
    }

    @Test
    void theMostSpecificKeyWins() {
        AuthEntries entries = new AuthEntries(Map.of(
                REGISTRY,
                auth("everyone", "s1"),
                REGISTRY + "/team",
                auth("team-user", "s2"),
                REGISTRY + "/team/app",
                auth("app-robot", "s3")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("app-robot"));
        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/other")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("team-user"));
        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/elsewhere/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("everyone"));
    }

    @Test
    void aKeyMatchesWholePathComponentsOnly() {
        AuthEntries entries = new AuthEntries(Map.of(REGISTRY + "/team/ap", auth("robot", "s")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app"))).isEmpty();
    }

    @Test
    void anEntryForAnotherRegistryIsNotUsed() {
        AuthEntries entries = new AuthEntries(
                Map.of("registry.example", auth("ci", "secret"), "other.example:5000", auth("other", "secret")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app"))).isEmpty();
    }

    @Test
    void dockersLegacyHttpsKeysMatchTheirHost() {
        assertThat(new AuthEntries(Map.of("https://" + REGISTRY, auth("legacy", "s")))
                        .lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("legacy"));
        assertThat(new AuthEntries(Map.of("https://" + REGISTRY + "/v1/", auth("legacy-v1", "s")))
                        .lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("legacy-v1"));
    }

    @Test
    void aRepositoryKeyWinsOverALegacyHostKey() {
        AuthEntries entries = new AuthEntries(Map.of(
                "https://" + REGISTRY + "/v1/", auth("legacy", "s1"), REGISTRY + "/team/app", auth("robot", "s2")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("robot"));
    }

    /** What {@code docker login} without a server writes to ~/.docker/config.json, for an image on Docker Hub. */
    @Test
    void dockerHubsLegacyIndexKeyMatchesAnImageOnDockerHub() {
        AuthEntries entries = new AuthEntries(Map.of("https://index.docker.io/v1/", auth("hubuser", "s")));

        assertThat(entries.lookup(ImageReference.parse("team/app")))
                .contains(new RegistryCredential("docker.io", "hubuser", "s"));
    }

    @Test
    void aBlankAuthFallsThroughToALessSpecificKey() {
        AuthEntries entries = new AuthEntries(Map.of(REGISTRY + "/team/app", "", REGISTRY, auth("ci", "secret")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("ci"));
    }

    @Test
    void theCredentialIsForTheImagesRegistryEvenWhenFoundUnderARepositoryKey() {
        AuthEntries entries = new AuthEntries(Map.of(REGISTRY + "/team", auth("ci", "secret")));

        assertThat(entries.lookup(ImageReference.parse(REGISTRY + "/team/app")))
                .hasValueSatisfying(c -> assertThat(c.registry()).isEqualTo(REGISTRY));
    }

    private static String auth(String user, String secret) {
        return new RegistryCredential("any", user, secret).basic();
    }
}
