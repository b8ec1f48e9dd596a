package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each image of a store was last used by a build: a small file in the store ({@code layer-cache-use}, one
 * {@code <image id> <epoch millis>} a line), read and written only by whoever holds the store's lease. The eviction
 * takes the least recently used images first; an image the file does not know (made before it, or pulled by a build
 * that failed) counts from when buildah made it.
 */
final class LayerCacheUse {

    private static final String FILE = "layer-cache-use";

    private final Path file;
    private final Map<String, Instant> lastUsed;

    private LayerCacheUse(Path file, Map<String, Instant> lastUsed) {
        this.file = file;
        this.lastUsed = lastUsed;
    }

    static LayerCacheUse of(Path storeDir) throws IOException {
        Path file = storeDir.resolve(FILE);
        Map<String, Instant> lastUsed = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.strip().split(" ");
                if (fields.length == 2 && fields[1].matches("[0-9]{1,19}")) {
                    lastUsed.put(fields[0], Instant.ofEpochMilli(Long.parseLong(fields[1])));
                }
            }
        } catch (NoSuchFileException none) {
            // a store no build recorded anything in yet
        }
        return new LayerCacheUse(file, lastUsed);
    }

    Optional<Instant> lastUsed(String imageId) {
        return Optional.ofNullable(lastUsed.get(imageId));
    }

    void used(Set<String> imageIds, Instant at) {
        imageIds.forEach(id -> lastUsed.put(id, at));
    }

    /** Writes the record, forgetting images the store does not hold any more (evicted, or removed with others). */
    void save(Set<String> present) throws IOException {
        lastUsed.keySet().retainAll(present);
        StringBuilder text = new StringBuilder();
        new TreeMap<>(lastUsed)
                .forEach((id, at) ->
                        text.append(id).append(' ').append(at.toEpochMilli()).append('\n'));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
