package io.archfarm.worker.testing;

import io.archfarm.testing.RequiredTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real git repository on disk that tests commit files into, reachable as a {@code file://} URL. */
public final class GitRepository {

    private final Path dir;

    private GitRepository(Path dir) {
        this.dir = dir;
    }

    public static GitRepository create(Path dir) throws IOException, InterruptedException {
        RequiredTools.require("git");
        Files.createDirectories(dir);
        GitRepository repository = new GitRepository(dir);
        repository.git("init", "-q", "-b", "main", ".");
        return repository;
    }

    /** Writes the files, commits them and returns the commit id. */
    public String commit(Map<String, String> files) throws IOException, InterruptedException {
        for (var file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        git("add", "-A");
        git("-c", "user.name=Archfarm Test", "-c", "user.email=test@archfarm.invalid", "commit", "-q", "-m", "test");
        return git("rev-parse", "HEAD").trim();
    }

    /**
     * Commits a submodule at {@code path} (also its name) that points at {@code commit} of {@code url}, written as
     * git would but without cloning it, so that any URL can be declared; returns the new commit id.
     */
    public String declareSubmodule(String path, String url, String commit) throws IOException, InterruptedException {
        return declareSubmodule(path, path, url, commit);
    }

    /** As {@link #declareSubmodule(String, String, String)}, under a name of its own in {@code .gitmodules}. */
    public String declareSubmodule(String name, String path, String url, String commit)
            throws IOException, InterruptedException {
        git("config", "--file", ".gitmodules", "submodule." + name + ".path", path);
        git("config", "--file", ".gitmodules", "submodule." + name + ".url", url);
        git("update-index", "--add", "--cacheinfo", "160000," + commit + "," + path);
        // an empty directory is how git leaves a submodule that is not checked out
        Files.createDirectories(dir.resolve(path));
        return commit(Map.of());
    }

    /** Copies a file into the working tree; the next commit takes it. */
    public void copyIn(String path, Path source) throws IOException {
        Path target = dir.resolve(path);
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    public String url() {
        return "file://" + dir.toAbsolutePath();
    }

    private String git(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }
}
