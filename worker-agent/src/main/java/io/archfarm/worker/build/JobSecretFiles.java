package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * A job's build secrets as files for {@code buildah build --secret id=<id>,src=<file>}: one 0600 file per secret in a
 * 0700 directory of the job's own, outside the build context, that exists only while the build runs. buildah mounts a
 * file only into the RUN steps that ask for it ({@code RUN --mount=type=secret,id=<id>}, at
 * {@code /run/secrets/<id>}); a step that does not ask sees nothing, and nothing of it lands in a layer. Every secret
 * of the job is passed: buildah ignores the ones the Containerfile does not mount.
 */
final class JobSecretFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobSecretFiles.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final @Nullable Path dir;
    private final List<String> arguments;

    private JobSecretFiles(@Nullable Path dir, List<String> arguments) {
        this.dir = dir;
        this.arguments = arguments;
    }

    /** Writes the files; with no secrets, writes nothing and adds no arguments. */
    static JobSecretFiles write(Path dir, JobSecrets secrets) throws JobFailure {
        if (secrets.isEmpty()) {
            return new JobSecretFiles(null, List.of());
        }
        List<String> arguments = new ArrayList<>();
        try {
            Files.createDirectories(dir.getParent());
            FileSystemUtils.deleteRecursively(dir);
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            int n = 0;
            for (Map.Entry<String, String> secret : secrets.values().entrySet()) {
                if (!ID.matcher(secret.getKey()).matches()) {
                    // the portal allows no other ids; one with a ',' would add options to buildah's --secret
                    throw new JobFailure(
                            JobOutcome.FAILED, "build secret id '" + secret.getKey() + "' is not " + ID.pattern());
                }
                // numbered, not named: the file's name never depends on what the id says
                Path file = dir.resolve("secret-" + ++n);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(
                        file, secret.getValue().getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
                arguments.addAll(List.of("--secret", "id=" + secret.getKey() + ",src=" + file));
            }
        } catch (JobFailure e) {
            deleteQuietly(dir);
            throw e;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED,
                    "cannot write the job's build secrets under " + dir + ": "
                            + e.getClass().getSimpleName());
        }
        return new JobSecretFiles(dir, List.copyOf(arguments));
    }

    /** The {@code buildah build} command with a {@code --secret} option per secret, right after {@code build}. */
    List<String> addTo(List<String> buildCommand) {
        if (arguments.isEmpty()) {
            return buildCommand;
        }
        int build = buildCommand.indexOf("build");
        if (build < 0) {
            throw new IllegalArgumentException("not a buildah build command: " + buildCommand.getFirst());
        }
        List<String> command = new ArrayList<>(buildCommand);
        command.addAll(build + 1, arguments);
        return command;
    }

    @Override
    public void close() {
        if (dir != null) {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            // the job's directory is deleted when the job ends as well
            LOG.warn("cannot delete the build secrets directory {}: {}", dir, e.toString());
        }
    }
}
