package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.RequiredTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** scripts/base-image.sh gives one OCI index whose images carry busybox built for their own architecture. */
class BaseImageIT {

    /** ELF e_machine of each architecture's busybox. */
    private static final Map<String, Integer> ELF_MACHINE =
            Map.of("amd64", 62, "arm64", 183, "s390x", 22, "arm/v7", 40, "ppc64le", 21);

    private static LocalRegistry registry;

    @BeforeAll
    static void pushBaseImage() throws Exception {
        RequiredTools.require("docker-registry", "buildah");
        registry = LocalRegistry.start(
                Farm.workDir("base-image"), Farm.logDir("base-image").resolve("registry.log"));
        Farm.pushBaseImage(registry.address(), Farm.logDir("base-image"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void isOneIndexOfFiveImagesEachWithItsOwnBusybox() {
        RegistryClient client = new RegistryClient(registry.address());
        RegistryClient.Manifest index = client.manifest(Farm.BASE_IMAGE, "latest");
        assertThat(index.mediaType()).isEqualTo(RegistryClient.OCI_INDEX);

        Map<String, Integer> machines = new HashMap<>();
        for (JsonNode entry : index.json().path("manifests")) {
            assertThat(entry.path("platform").path("os").asString()).isEqualTo("linux");
            JsonNode platform = entry.path("platform");
            String architecture = platform.path("architecture").asString()
                    + (platform.hasNonNull("variant")
                            ? "/" + platform.path("variant").asString()
                            : "");
            byte[] busybox = client.readFileBytes(
                            Farm.BASE_IMAGE, entry.path("digest").asString(), "/bin/busybox")
                    .orElseThrow(() -> new AssertionError("no /bin/busybox in the " + architecture + " image"));
            machines.put(architecture, elfMachine(busybox));
        }
        assertThat(machines).isEqualTo(ELF_MACHINE);
    }

    @Test
    void pushingAgainKeepsTheSameIndex() {
        RegistryClient client = new RegistryClient(registry.address());
        String before = client.manifest(Farm.BASE_IMAGE, "latest").digest();

        Farm.pushBaseImage(registry.address(), Farm.logDir("base-image-again"));

        assertThat(client.manifest(Farm.BASE_IMAGE, "latest").digest()).isEqualTo(before);
    }

    private static int elfMachine(byte[] binary) {
        assertThat(binary).as("an ELF binary").startsWith(0x7f, 'E', 'L', 'F');
        ByteOrder order = binary[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return Short.toUnsignedInt(ByteBuffer.wrap(binary, 18, 2).order(order).getShort());
    }
}
