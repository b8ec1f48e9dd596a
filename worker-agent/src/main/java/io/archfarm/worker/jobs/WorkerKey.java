package io.archfarm.worker.jobs;

import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.model.registry.WorkerSeal;
import io.archfarm.worker.build.JobCredential;
import io.archfarm.worker.build.JobSecrets;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This worker process's key pair for the registry credentials the scheduler seals for it ({@link WorkerSeal}). It is
 * made at start-up and lives in memory only: a restarted worker has a new one, and nothing a job was given can be
 * opened from the host's disk or the broker's.
 */
@Component
class WorkerKey {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KeyPair pair = WorkerSeal.newKeyPair();
    private final String publicKey = WorkerSeal.text(pair.getPublic());

    String publicKey() {
        return publicKey;
    }

    /** @throws IllegalArgumentException when the credential was not sealed for this process or is malformed */
    JobCredential open(WorkerSeal.Sealed sealed) {
        byte[] plain = WorkerSeal.open(pair.getPrivate(), sealed);
        try {
            JsonNode credential = JSON.readTree(plain);
            return new JobCredential(
                    new RegistryCredential(
                            credential.path("registry").asString(""),
                            credential.path("username").asString(""),
                            credential.path("secret").asString("")),
                    credential.path("owner").asString("the project"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the sealed registry credential is not the JSON the scheduler sends");
        }
    }

    /** @throws IllegalArgumentException when the secrets were not sealed for this process or are malformed */
    JobSecrets openSecrets(WorkerSeal.Sealed sealed) {
        byte[] plain = WorkerSeal.open(pair.getPrivate(), sealed);
        try {
            JsonNode secrets = JSON.readTree(plain);
            if (!secrets.isObject()) {
                throw new IllegalArgumentException(
                        "the sealed build secrets are not the JSON object the scheduler" + " sends");
            }
            Map<String, String> values = new LinkedHashMap<>();
            secrets.properties()
                    .forEach(secret ->
                            values.put(secret.getKey(), secret.getValue().asString("")));
            return JobSecrets.of(values);
        } catch (JacksonException e) {
            // never the parser's message: it may quote a piece of a secret
            throw new IllegalArgumentException("the sealed build secrets are not the JSON the scheduler sends");
        }
    }
}
