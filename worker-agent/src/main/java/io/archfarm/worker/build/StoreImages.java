package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    record Image(String id, String layer, Instant created, boolean named) {
    }

    /** What the store at {@code root} holds now; nothing when buildah never wrote to it. */
    static StoreImages read(Path root, StorageDriver driver) throws IOException {
        Map<String, Image> images = new HashMap<>();
        for (JsonNode image : array(root.resolve(driver.flag() + "-images/images.json"))) {
            String id = image.path("id").asString("");
            String created = image.path("created").asString("");
            Instant made = created.isEmpty() ? Instant.EPOCH : OffsetDateTime.parse(created).toInstant();
            images.put(id, new Image(id, image.path("layer").asString(""), made, !image.path("names").isEmpty()));
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
                boolean sameLayerEarlier = image.layer().equals(child.layer()) && image.created().isBefore(
                        child.created());
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
        Set<String> used = new LinkedHashSet<>(ids.stream().filter(images::containsKey).toList());
        images.values().stream().filter(i -> layers.contains(i.layer())).map(Image::id).forEach(used::add);
        return used;
    }

    /** {@code layer} and every layer under it; empty for null. */
    private Set<String> stackOf(String layer) {
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
