package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The images of one store and how they stack, read from containers/storage's own {@code images.json} and
 * {@code layers.json} (what {@code buildah images} reads too, without a process start and with the layers' parents,
 * which buildah 1.28 does not print). With {@code --layers} every cached step is an image of its own: its top layer
 * sits on its parent's, or is its parent's top layer when the step changed no file ({@code ARG}, {@code CMD}).
 *
 * @param images        by id
 * @param layerParents  each layer's parent layer; a bottom layer has none
 */
record StoreImages(Map<String, Image> images, Map<String, String> layerParents) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** @param layer the image's top layer */
    record Image(String id, String layer, Instant created, boolean named) {}

    /**
     * What buildah's layer cache matches an image by (buildah 1.28, {@code intermediateImageExists}): the history its
     * config holds and the diff ids of its layers. A cached step is the image whose history is the history of the
     * image the build stands on at that step, entry for entry and with the same times, plus one entry for the step;
     * so a chain of cached steps is tied to the very images under it, not only to their layers (two {@code ARG}
     * images on the same layer start two chains of their own).
     */
    record History(List<Entry> entries, List<String> diffIds) {

        /** One step of an image's history; {@code created} is null when the config has no time. */
        record Entry(
                String createdBy,
                boolean emptyLayer,
                String comment,
                String author,
                @Nullable Instant created) {

            /**
             * The same instruction, whenever it ran: what buildah compares the step it is at with (the comment says
             * which image the step ran on, {@code FROM 210cee3a8af2}, and differs between two chains).
             */
            boolean sameStep(Entry other) {
                return createdBy.equals(other.createdBy) && emptyLayer == other.emptyLayer;
            }
        }

        /**
         * The history of the image this one is a cached step on: without the last entry, and without the last layer
         * when that entry made one. An image of a single entry stands on nothing ({@code FROM scratch}); empty for an
         * image without history.
         */
        Optional<History> parent() {
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            boolean madeLayer = !entries.getLast().emptyLayer() && !diffIds.isEmpty();
            return Optional.of(new History(
                    entries.subList(0, entries.size() - 1),
                    madeLayer ? diffIds.subList(0, diffIds.size() - 1) : diffIds));
        }

        Optional<Entry> step() {
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getLast());
        }
    }

    /** What the store at {@code root} holds now; nothing when buildah never wrote to it. */
    static StoreImages read(Path root, StorageDriver driver) throws IOException {
        Map<String, Image> images = new HashMap<>();
        for (JsonNode image : array(root.resolve(driver.flag() + "-images/images.json"))) {
            String id = image.path("id").asString("");
            String created = image.path("created").asString("");
            Instant made = created.isEmpty()
                    ? Instant.EPOCH
                    : OffsetDateTime.parse(created).toInstant();
            images.put(
                    id,
                    new Image(
                            id,
                            image.path("layer").asString(""),
                            made,
                            !image.path("names").isEmpty()));
        }
        Map<String, String> parents = new HashMap<>();
        for (JsonNode layer : array(root.resolve(driver.flag() + "-layers/layers.json"))) {
            String parent = layer.path("parent").asString("");
            if (!parent.isEmpty()) {
                parents.put(layer.path("id").asString(""), parent);
            }
        }
        return new StoreImages(Map.copyOf(images), Map.copyOf(parents));
    }

    /**
     * Each image's {@link History}, from its config as containers/storage keeps it (a file of the image's directory
     * named by its key, {@code sha256:<image id>}). An image whose config cannot be read has none: it is no cached
     * step anyone could take, and no parent of one.
     */
    Map<String, History> histories(Path root, StorageDriver driver) {
        Map<String, History> histories = new HashMap<>();
        Path dir = root.resolve(driver.flag() + "-images");
        for (String id : images.keySet()) {
            String key = "sha256:" + id;
            Path config = dir.resolve(id)
                    .resolve("=" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
            try {
                histories.put(id, history(JSON.readTree(Files.readString(config))));
            } catch (IOException | JacksonException | DateTimeParseException unreadable) {
                // no history: see above
            }
        }
        return Map.copyOf(histories);
    }

    private static History history(JsonNode config) {
        List<History.Entry> entries = new ArrayList<>();
        for (JsonNode entry : config.path("history")) {
            String created = entry.path("created").asString("");
            entries.add(new History.Entry(
                    entry.path("created_by").asString(""),
                    entry.path("empty_layer").asBoolean(false),
                    entry.path("comment").asString(""),
                    entry.path("author").asString(""),
                    created.isEmpty() ? null : OffsetDateTime.parse(created).toInstant()));
        }
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(diffId -> diffIds.add(diffId.asString("")));
        return new History(List.copyOf(entries), List.copyOf(diffIds));
    }

    private static JsonNode array(Path file) throws IOException {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException empty) {
            return JSON.createArrayNode();
        } catch (JacksonException e) {
            throw new IOException("cannot read " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The images no other image stands on: those {@code buildah rmi} takes without refusing, and whose going
     * frees layers. An image another one stands on is its parent: the other's layer stack holds its top layer
     * further down, or the other has the same top layer and was made after it.
     */
    Set<String> leaves() {
        Set<String> parents = new HashSet<>();
        for (Image child : images.values()) {
            Set<String> below = stackOf(layerParents.get(child.layer()));
            for (Image image : images.values()) {
                boolean sameLayerEarlier =
                        image.layer().equals(child.layer()) && image.created().isBefore(child.created());
                if (image != child && (below.contains(image.layer()) || sameLayerEarlier)) {
                    parents.add(image.id());
                }
            }
        }
        Set<String> leaves = new HashSet<>(images.keySet());
        leaves.removeAll(parents);
        return leaves;
    }

    /** The images {@code ids} and every image under them (their stack's images, the base image among them). */
    Set<String> withImagesUnder(Set<String> ids) {
        Set<String> layers = new HashSet<>();
        for (String id : ids) {
            Image image = images.get(id);
            if (image != null) {
                layers.addAll(stackOf(image.layer()));
            }
        }
        Set<String> used =
                new LinkedHashSet<>(ids.stream().filter(images::containsKey).toList());
        images.values().stream()
                .filter(i -> layers.contains(i.layer()))
                .map(Image::id)
                .forEach(used::add);
        return used;
    }

    /** {@code layer} and every layer under it; empty for null. */
    private Set<String> stackOf(@Nullable String layer) {
        Set<String> stack = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>();
        if (layer != null) {
            todo.add(layer);
        }
        while (!todo.isEmpty()) {
            String current = todo.removeLast();
            if (stack.add(current) && layerParents.containsKey(current)) {
                todo.add(layerParents.get(current));
            }
        }
        return stack;
    }
}
