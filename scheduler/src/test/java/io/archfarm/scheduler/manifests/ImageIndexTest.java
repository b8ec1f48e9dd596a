package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.Platform;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageIndexTest {

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String D3 = "sha256:" + "3".repeat(64);

    @Test
    void writesTheExactOciIndexSortedByPlatformWithVariants() throws Exception {
        ImageIndex index = ImageIndex.assemble(
                List.of(
                        new IndexEntry(Platform.parse("linux/arm64"), D2, 500, OCI),
                        new IndexEntry(
                                Platform.parse("linux/arm/v7"),
                                D3,
                                600,
                                "application/vnd.docker.distribution.manifest.v2+json"),
                        new IndexEntry(Platform.parse("linux/amd64"), D1, 400, OCI)),
                "0123abc",
                "https://git.example/demo.git");

        String expected = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":["
                + "{\"mediaType\":\"" + OCI + "\",\"digest\":\"" + D1 + "\",\"size\":400,"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + D3
                + "\",\"size\":600,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
                + "{\"mediaType\":\"" + OCI + "\",\"digest\":\"" + D2 + "\",\"size\":500,"
                + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}],"
                + "\"annotations\":{\"org.opencontainers.image.revision\":\"0123abc\","
                + "\"org.opencontainers.image.source\":\"https://git.example/demo.git\"}}";
        assertThat(index.content()).isEqualTo(expected);
        assertThat(index.size()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(expected.getBytes(StandardCharsets.UTF_8)));
        assertThat(index.digest()).isEqualTo("sha256:" + sha);
        assertThat(index.entries())
                .extracting(e -> e.platform().toString())
                .containsExactly("linux/amd64", "linux/arm/v7", "linux/arm64");
    }

    @Test
    void theSameImagesInAnyOrderGiveTheSameDigest() {
        IndexEntry amd = new IndexEntry(Platform.LINUX_AMD64, D1, 1, OCI);
        IndexEntry arm = new IndexEntry(Platform.LINUX_ARM64, D2, 2, OCI);

        assertThat(ImageIndex.assemble(List.of(amd, arm), "c", "s").digest())
                .isEqualTo(ImageIndex.assemble(List.of(arm, amd), "c", "s").digest());
    }

    @Test
    void anEmptyIndexIsRefused() {
        assertThatThrownBy(() -> ImageIndex.assemble(List.of(), "c", "s")).hasMessageContaining("at least one image");
    }
}
