package io.archfarm.portal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real git repository on disk: a Containerfile committed on branch {@code trunk}, an annotated and a light tag. */
public final class GitRepositoryFixture {

    private final Path dir;

    private GitRepositoryFixture(Path dir) {
        this.dir = dir;
    }

    public static GitRepositoryFixture create(Path dir) {
        GitRepositoryFixture repo = new GitRepositoryFixture(dir);
        repo.git("init", "-q", "-b", "trunk");
        write(dir.resolve("Containerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        write(dir.resolve("hello.txt"), "hello\n");
        repo.git("add", ".");
        repo.git("commit", "-q", "-m", "first");
        repo.git("tag", "-a", "v1.0", "-m", "release 1.0");
        write(dir.resolve("hello.txt"), "hello again\n");
        repo.git("commit", "-q", "-am", "second");
        repo.git("tag", "light");
        return repo;
    }

    public String url() {
        return dir.toUri().toString().replaceFirst("^file:/+", "file:///");
    }

    /** {@code git rev-parse}, the farm's answer must equal it. */
    public String revParse(String revision) {
        return git("rev-parse", revision);
    }

    public String git(String... args) {
        List<String> command = new ArrayList<>(
                List.of("git", "-c", "user.name=Archfarm Test", "-c", "user.email=test@archfarm.invalid"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("git is needed for this test and could not be run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
