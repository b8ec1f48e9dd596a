package io.archfarm.scheduler.registry;

import io.archfarm.model.ImageReference;
import io.archfarm.model.registry.AuthEntries;
import io.archfarm.model.registry.AuthFiles;
import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.model.secrets.SecretKeyBox;
import io.archfarm.scheduler.RegistryProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which credential the farm uses for a build's image: the project's own (a robot account a maintainer set, sealed in
 * the database), and otherwise the one for that registry in the scheduler's containers auth file. A project's
 * credential is used only while its image is on the registry it was set for.
 */
@Component
public class RegistryCredentials {

    private final JdbcClient jdbc;
    private final RegistryProperties properties;
    private final JsonMapper json;
    private final String secretKey;
    private volatile @Nullable SecretKeyBox box;

    RegistryCredentials(
            JdbcClient jdbc,
            RegistryProperties properties,
            JsonMapper json,
            @Value("${archfarm.security.secret-key:}") String secretKey) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.json = json;
        this.secretKey = secretKey;
    }

    /** A credential and whose it is, for messages: {@code project team/app} or the auth file's path. */
    public record Owned(RegistryCredential credential, String owner, boolean project) {}

    /** The credential for the build's image: the project's, else the auth file's, else none (anonymous). */
    public Optional<Owned> forBuild(UUID buildId, ImageReference image) {
        Optional<Owned> project = ofProject(buildId, image);
        return project.isPresent() ? project : fromAuthFile(image);
    }

    /**
     * The project's credential for the build's image, opened.
     *
     * @throws IllegalStateException when the project has one but this scheduler cannot open it (no or another key)
     */
    public Optional<Owned> ofProject(UUID buildId, ImageReference image) {
        return jdbc.sql("""
                        select t.slug as team, p.slug as project, p.registry_host, p.registry_username,
                               p.registry_secret
                          from builds b join projects p on p.id = b.project_id join teams t on t.id = p.team_id
                         where b.id = :build and p.registry_host = :registry""")
                .param("build", buildId)
                .param("registry", image.registry())
                .query((rs, n) -> new Owned(
                        new RegistryCredential(
                                rs.getString("registry_host"),
                                rs.getString("registry_username"),
                                box().open(rs.getString("registry_secret"))),
                        "project " + rs.getString("team") + "/" + rs.getString("project"),
                        true))
                .optional();
    }

    /** The scheduler's own credential for the image's registry, from its containers auth file. */
    public Optional<Owned> fromAuthFile(ImageReference image) {
        Optional<Path> file =
                AuthFiles.locate(properties.authFile(), System.getenv(), Path.of(System.getProperty("user.home")));
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        try {
            JsonNode auths = json.readTree(Files.readString(file.get())).path("auths");
            Map<String, String> entries = new LinkedHashMap<>();
            auths.properties()
                    .forEach(entry -> entries.put(
                            entry.getKey(), entry.getValue().path("auth").asString("")));
            return new AuthEntries(entries)
                    .lookup(image)
                    .map(credential -> new Owned(credential, "the auth file " + file.get(), false));
        } catch (JacksonException e) {
            // never the parser's message: it may quote a piece of a secret
            throw new IllegalStateException("the registry auth file " + file.get() + " is not JSON"
                    + (e.getLocation() == null
                            ? ""
                            : " (at line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the registry auth file " + file.get() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private SecretKeyBox box() {
        SecretKeyBox current = box;
        if (current == null) {
            current = new SecretKeyBox(
                    secretKey,
                    "the scheduler needs it to open the registry credentials of " + "projects, sealed by the portal");
            box = current;
        }
        return current;
    }
}
