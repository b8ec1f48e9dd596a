package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreMountsTest {

    @Test
    void findsTheMountsBelowAStoreDeepestFirstAndNoOthers() {
        List<String> mountInfo = List.of(
                "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
                "97 22 0:52 / /w/storage/linux-arm64/1/overlay-root/overlay rw shared:40 - ext4 /dev/vda rw",
                "98 97 0:53 / /w/storage/linux-arm64/1/overlay-root/overlay/abc/merged rw - overlay overlay rw",
                "99 22 0:54 / /w/storage/linux-arm64/10/overlay-root/overlay rw - ext4 /dev/vda rw",
                "100 22 0:55 / /w/storage/linux-arm64/1/with\\040space rw - tmpfs tmpfs rw");

        assertThat(StoreMounts.under(Path.of("/w/storage/linux-arm64/1"), mountInfo))
                .containsExactly(
                        "/w/storage/linux-arm64/1/overlay-root/overlay/abc/merged",
                        "/w/storage/linux-arm64/1/overlay-root/overlay",
                        "/w/storage/linux-arm64/1/with space");
    }
}
