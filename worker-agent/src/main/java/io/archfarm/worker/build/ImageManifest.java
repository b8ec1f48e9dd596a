package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The pushed image manifest as the scheduler needs it for the manifest list: exact digest, size and media type. */
record ImageManifest(String digest, long size, String mediaType) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Reads the descriptor that {@code buildah push ... oci:<layout>:img} wrote into the layout's index.json. */
    static ImageManifest fromLayout(Path layout, String digest) throws JobFailure {
        try {
            JsonNode index = JSON.readTree(Files.readString(layout.resolve("index.json")));
            for (JsonNode descriptor : index.path("manifests")) {
                if (digest.equals(descriptor.path("digest").asString(null))) {
                    return new ImageManifest(
                            digest,
                            descriptor.path("size").asLong(-1),
                            descriptor.path("mediaType").asString(null));
                }
            }
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED, "the OCI layout " + layout + " has no manifest with digest " + digest);
        } catch (IOException | JacksonException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot read the OCI layout " + layout + ": " + e);
        }
    }
}
