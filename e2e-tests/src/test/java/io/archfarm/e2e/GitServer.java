package io.archfarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Repositories served by a real {@code git daemon}, the way a farm reaches a team's code. */
final class GitServer {

    private final Path baseDir;
    private final String address;
    private final int port;

    GitServer(Path baseDir, int port) {
        this(baseDir, "127.0.0.1", port);
    }

    /** @param address the IP the daemon listens on and its URLs name */
    GitServer(Path baseDir, String address, int port) {
        this.baseDir = baseDir;
        this.address = address;
        this.port = port;
    }

    List<String> daemonCommand() {
        return List.of(
                "git",
                "daemon",
                "--reuseaddr",
                "--export-all",
                "--base-path=" + baseDir,
                "--listen=" + address,
                "--port=" + port,
                baseDir.toString());
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    /** Commits the files on branch main of a new bare repository and returns its git:// URL. */
    String createRepository(String name, Map<String, String> files) {
        Path bare = baseDir.resolve(name + ".git");
        Path source = baseDir.resolve("src").resolve(name);
        try {
            Files.createDirectories(source);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(source.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of " + name, e);
        }
        git(baseDir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(source, "init", "-q", "-b", "main");
        git(source, "add", "-A");
        git(source, "-c", "user.name=e2e", "-c", "user.email=e2e@archfarm.invalid", "commit", "-q", "-m", name);
        git(source, "push", "-q", bare.toString(), "main");
        return "git://" + address + ":" + port + "/" + name + ".git";
    }

    /**
     * Commits changed files on branch main of a repository made by {@link #createRepository}, pushes the commit to
     * the served repository as a developer does, and returns its id.
     */
    String pushCommit(String name, Map<String, String> files, String message) {
        Path source = baseDir.resolve("src").resolve(name);
        if (!Files.isDirectory(source.resolve(".git"))) {
            throw new IllegalArgumentException("no repository '" + name + "': create it with createRepository first");
        }
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(source.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of " + name, e);
        }
        git(source, "add", "-A");
        git(source, "-c", "user.name=e2e", "-c", "user.email=e2e@archfarm.invalid", "commit", "-q", "-m", message);
        git(source, "push", "-q", baseDir.resolve(name + ".git").toString(), "main");
        return head(name);
    }

    /** The commit id branch main of the served repository points at. */
    String head(String name) {
        return git(baseDir.resolve(name + ".git"), "rev-parse", "refs/heads/main")
                .strip();
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
