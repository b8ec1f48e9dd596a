package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The containers auth file a job's buildah and skopeo read: the host's auth file, if it has one, with the project's
 * credential for its registry in place of the host's entry for it. It is created readable by the worker's user only,
 * in the job's directory, and deleted with it when the job ends.
 */
final class JobAuthFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JobAuthFile() {}

    /** The file the job's tools use: its own when it brings a credential, else the host's, else none. */
    static Optional<Path> prepare(Path jobDir, @Nullable Path hostAuthFile, Optional<JobCredential> credential)
            throws JobFailure {
        if (credential.isEmpty()) {
            return Optional.ofNullable(hostAuthFile).filter(Files::isRegularFile);
        }
        ObjectNode file = hostEntries(hostAuthFile);
        ObjectNode auths = file.has("auths") && file.get("auths").isObject()
                ? (ObjectNode) file.get("auths")
                : file.putObject("auths");
        auths.putObject(credential.get().registry())
                .put("auth", credential.get().credential().basic());
        Path path = jobDir.resolve("auth.json");
        try {
            Files.createDirectories(jobDir);
            Files.deleteIfExists(path);
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(path, JSON.writeValueAsBytes(file), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED, "cannot write the job's registry auth file: " + e.getMessage());
        }
        return Optional.of(path);
    }

    private static ObjectNode hostEntries(@Nullable Path hostAuthFile) throws JobFailure {
        if (hostAuthFile == null || !Files.isRegularFile(hostAuthFile)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(Files.readString(hostAuthFile)) instanceof ObjectNode object
                    ? object
                    : JSON.createObjectNode();
        } catch (JacksonException e) {
            // never the parser's message: it may quote a piece of a secret
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED, "the worker's registry auth file " + hostAuthFile + " is not JSON");
        } catch (IOException e) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED,
                    "cannot read the worker's registry auth file " + hostAuthFile + ": " + e.getMessage());
        }
    }
}
