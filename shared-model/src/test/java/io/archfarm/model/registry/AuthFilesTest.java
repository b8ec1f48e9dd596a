package io.archfarm.model.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFilesTest {

    @TempDir
    Path home;

    @Test
    void withoutEnvironmentTheToolsLookInTheHomeConfigThenDockers() {
        assertThat(AuthFiles.candidates(Map.of(), home))
                .containsExactly(home.resolve(".config/containers/auth.json"), home.resolve(".docker/config.json"));
    }

    @Test
    void theRuntimeDirectoryComesFirst() {
        assertThat(AuthFiles.candidates(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), home))
                .containsExactly(
                        Path.of("/run/user/1000/containers/auth.json"),
                        home.resolve(".config/containers/auth.json"),
                        home.resolve(".docker/config.json"));
    }

    @Test
    void registryAuthFileIsTheOnlyPlaceWhenSet() {
        assertThat(AuthFiles.candidates(
                        Map.of("REGISTRY_AUTH_FILE", "/etc/archfarm/auth.json", "XDG_RUNTIME_DIR", "/run/user/1000"),
                        home))
                .containsExactly(Path.of("/etc/archfarm/auth.json"));
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(AuthFiles.candidates(Map.of("REGISTRY_AUTH_FILE", " ", "XDG_RUNTIME_DIR", ""), home))
                .containsExactly(home.resolve(".config/containers/auth.json"), home.resolve(".docker/config.json"));
    }

    @Test
    void locateFindsTheFirstCandidateThatExists() throws IOException {
        Path runtime = Files.createDirectory(home.resolve("run"));
        Path docker = write(home.resolve(".docker/config.json"));
        Map<String, String> environment = Map.of("XDG_RUNTIME_DIR", runtime.toString());

        assertThat(AuthFiles.locate(null, environment, home)).contains(docker);

        Path containers = write(home.resolve(".config/containers/auth.json"));
        assertThat(AuthFiles.locate(null, environment, home)).contains(containers);

        Path runtimeFile = write(runtime.resolve("containers/auth.json"));
        assertThat(AuthFiles.locate(null, environment, home)).contains(runtimeFile);
    }

    @Test
    void locateFindsNothingWhenNoCandidateExists() {
        assertThat(AuthFiles.locate(null, Map.of(), home)).isEmpty();
    }

    @Test
    void aDirectoryWhereTheFileShouldBeIsNotAnAuthFile() throws IOException {
        Files.createDirectories(home.resolve(".config/containers/auth.json"));
        Path docker = write(home.resolve(".docker/config.json"));

        assertThat(AuthFiles.locate(null, Map.of(), home)).contains(docker);
    }

    @Test
    void theConfiguredFileWinsOverEveryCandidate() throws IOException {
        write(home.resolve(".config/containers/auth.json"));
        Path configured = home.resolve("farm-auth.json");

        assertThat(AuthFiles.locate(configured, Map.of(), home)).contains(configured);
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "{\"auths\":{}}");
    }
}
