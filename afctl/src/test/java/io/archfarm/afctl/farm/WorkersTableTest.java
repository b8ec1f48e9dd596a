package io.archfarm.afctl.farm;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.afctl.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code afctl workers}: the fleet with each worker's tools when the farm reports them, and without when it does not. */
class WorkersTableTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:10Z");

    @Test
    void eachWorkerShowsTheToolsItBuildsWith() {
        String table = WorkersCommand.table(Json.parse("""
                [{"id": "native-1", "status": "ONLINE", "nativePlatforms": ["linux/amd64"], "emulatedPlatforms": [],
                  "slots": 1, "busy": 1, "lastSeen": "2025-06-01T12:00:07Z", "storageDriver": "overlay",
                  "tools": {"kernel": "6.1.0-18-amd64", "storageDriver": "overlay", "buildah": "1.28.2",
                            "skopeo": "1.9.3", "qemu": {}}},
                 {"id": "emulated-1", "status": "DRAINING", "nativePlatforms": [],
                  "emulatedPlatforms": ["linux/arm64", "linux/s390x"], "slots": 2, "busy": 0,
                  "lastSeen": "2025-06-01T11:58:10Z", "storageDriver": "vfs",
                  "tools": {"kernel": null, "storageDriver": "vfs", "buildah": "1.28.2", "skopeo": null,
                            "qemu": {"linux/arm64": "7.2.9", "linux/s390x": "7.2.9", "linux/riscv64": null}}},
                 {"id": "old-1", "status": "OFFLINE", "nativePlatforms": ["linux/arm64"], "emulatedPlatforms": [],
                  "slots": 1, "busy": 0, "lastSeen": "2025-05-30T12:00:10Z", "storageDriver": null}]
                """), NOW);

        assertThat(table).isEqualTo("""
                ID          STATUS    NATIVE       EMULATED                 SLOTS  LAST SEEN  TOOLS
                native-1    ONLINE    linux/amd64  -                        1/1    3s ago     buildah 1.28.2, skopeo 1.9.3, kernel 6.1.0-18-amd64, overlay
                emulated-1  DRAINING  -            linux/arm64,linux/s390x  0/2    2m ago     buildah 1.28.2, qemu 7.2.9, vfs
                old-1       OFFLINE   linux/arm64  -                        0/1    2d ago     -
                """);
    }
}
