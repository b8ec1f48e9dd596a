package io.archfarm.scheduler.manifests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI image index, serialized once: {@link #bytes()} are exactly what is pushed and what {@link #digest()} is the
 * sha256 of. Entries are sorted by platform so that the same images give the same index.
 */
record ImageIndex(byte[] bytes, String digest, List<IndexEntry> entries) {

    static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    static ImageIndex assemble(List<IndexEntry> images, String revision, String source) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("an image index needs at least one image");
        }
        List<IndexEntry> sorted = images.stream()
                .sorted(Comparator.comparing(IndexEntry::platform))
                .toList();
        JsonMapper json = JsonMapper.shared();
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MEDIA_TYPE);
        var manifests = index.putArray("manifests");
        for (IndexEntry image : sorted) {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", image.mediaType());
            entry.put("digest", image.digest());
            entry.put("size", image.size());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            if (image.platform().variant() != null) {
                platform.put("variant", image.platform().variant());
            }
        }
        ObjectNode annotations = index.putObject("annotations");
        annotations.put("org.opencontainers.image.revision", revision);
        annotations.put("org.opencontainers.image.source", source);
        byte[] bytes = json.writeValueAsString(index).getBytes(StandardCharsets.UTF_8);
        return new ImageIndex(bytes, sha256(bytes), sorted);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    long size() {
        return bytes.length;
    }

    String content() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
