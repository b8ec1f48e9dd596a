package io.archfarm.afctl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * afctl's configuration file, {@code $XDG_CONFIG_HOME/afctl/config} (by default {@code ~/.config/afctl/config}):
 * the farm's URL and the API token {@code afctl login} checked. The token is a password, so the directory is made
 * 0700 and the file is written 0600 from its first byte (a temporary file created with those permissions, then moved
 * over the old one); a file others may read gets a warning each time it is read.
 */
public final class ConfigFile {

    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** What the file holds. */
    public record Contents(@Nullable String url, @Nullable String token) {}

    private ConfigFile() {}

    public static Path location(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return config.resolve("afctl").resolve("config");
    }

    public static Optional<Contents> read(Path file, Consumer<String> warn) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY_FILE.containsAll(permissions)) {
                warn.accept(file + " may be read by others (" + PosixFilePermissions.toString(permissions)
                        + "): it holds an API token; chmod 600 it");
            }
            String url = null;
            String token = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (line.isBlank() || line.stripLeading().startsWith("#") || equals < 0) {
                    continue;
                }
                String key = line.substring(0, equals).strip();
                String value = line.substring(equals + 1).strip();
                switch (key) {
                    case "url" -> url = value;
                    case "token" -> token = value;
                    default -> {
                        // a setting of a newer afctl
                    }
                }
            }
            return Optional.of(new Contents(url, token));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static void write(Path file, Contents contents) {
        Path directory = file.getParent();
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            Path written = Files.createTempFile(
                    directory, ".config", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                Files.writeString(written, text(contents), StandardCharsets.UTF_8);
                move(written, file);
            } finally {
                Files.deleteIfExists(written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String text(Contents contents) {
        StringBuilder text = new StringBuilder(
                "# afctl: the farm and its API token, written by 'afctl login' " + "(keep it mode 0600)\n");
        if (contents.url() != null) {
            text.append("url = ").append(contents.url()).append('\n');
        }
        if (contents.token() != null) {
            text.append("token = ").append(contents.token()).append('\n');
        }
        return text.toString();
    }
}
