package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a {@code --no-cache} build ({@code LayerCache.REFRESH}), removes the older cached images that would still be
 * found instead of the ones it built. buildah 1.28 looks a cached step up by going through the store's images in the
 * order they were made and taking the first whose history is the history of the image the build stands on plus the
 * step ({@link StoreImages.History}); so where an older build made the same step on the same image (the first step
 * after a {@code FROM}: the only place where the refreshed chain and an older one share the image under them), the
 * older one is found first, and with it the older chain above it, stale layers and all.
 *
 * <p>What goes: each older image that is the same step on the same image as one the refreshed build committed (a
 * <em>replaced</em> step), with everything built on it. The images on a replaced step go too, even when they are
 * steps the refreshed build did not make (a RUN with other build args): they hang on that image by its history, and
 * no build can reach them once it is gone (nor, while it stays, reach the refreshed chain). A replaced step some named
 * image stands on stays with all above it, as named images are no cache (a base image, something a person tagged);
 * images the refreshed build made and the images under them (the base image) never go.
 */
final class RefreshedSteps {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshedSteps.class);
    private static final Duration REMOVE_LIMIT = Duration.ofMinutes(2);

    private RefreshedSteps() {}

    /**
     * What a refreshed build replaced.
     *
     * @param remove the images to remove, each after every image built on it
     * @param kept   replaced steps that stay because a named image stands on them
     */
    record Replaced(List<String> remove, Set<String> kept) {}

    /**
     * @param before    the ids of the store's images before the refreshed build: the others are its own
     * @param histories each image's history, {@link StoreImages#histories}
     */
    static Replaced replaced(Set<String> before, StoreImages images, Map<String, StoreImages.History> histories) {
        Map<StoreImages.History, List<String>> onHistory = new HashMap<>();
        histories.forEach((id, history) -> history.parent()
                .ifPresent(parent -> onHistory
                        .computeIfAbsent(parent, p -> new ArrayList<>())
                        .add(id)));
        Set<String> remove = new LinkedHashSet<>();
        Set<String> kept = new TreeSet<>();
        for (String replaced : replacedSteps(before, images, histories, onHistory)) {
            Set<String> chain = withImagesOn(replaced, histories, onHistory);
            boolean needed = chain.stream().anyMatch(id -> !before.contains(id) || named(images, id));
            if (needed) {
                kept.add(replaced);
            } else {
                remove.addAll(chain);
            }
        }
        List<String> childrenFirst = remove.stream()
                .sorted(Comparator.comparingInt((String id) -> Objects.requireNonNull(histories.get(id))
                                .entries()
                                .size())
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        return new Replaced(childrenFirst, kept);
    }

    /** Whether {@code id} is a named image; an id without an image (only a history) is none. */
    private static boolean named(StoreImages images, String id) {
        StoreImages.Image image = images.images().get(id);
        return image != null && image.named();
    }

    /** The older images that are the same step on the same image as one the refreshed build made. */
    private static Set<String> replacedSteps(
            Set<String> before,
            StoreImages images,
            Map<String, StoreImages.History> histories,
            Map<StoreImages.History, List<String>> onHistory) {
        Set<String> replaced = new TreeSet<>();
        for (var made : histories.entrySet()) {
            // a named image the build brought is a base image it pulled, no step it built
            StoreImages.Image image = images.images().get(made.getKey());
            if (before.contains(made.getKey()) || image == null || image.named()) {
                continue;
            }
            StoreImages.History history = made.getValue();
            Optional<StoreImages.History> under = history.parent();
            Optional<StoreImages.History.Entry> step = history.step();
            if (under.isEmpty() || step.isEmpty()) {
                continue;
            }
            for (String older : onHistory.getOrDefault(under.get(), List.of())) {
                if (before.contains(older)
                        && Objects.requireNonNull(histories.get(older))
                                .step()
                                .orElseThrow()
                                .sameStep(step.get())) {
                    replaced.add(older);
                }
            }
        }
        return replaced;
    }

    /** {@code id} and every image built on it, step on step. */
    private static Set<String> withImagesOn(
            String id, Map<String, StoreImages.History> histories, Map<StoreImages.History, List<String>> onHistory) {
        Set<String> chain = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            String current = todo.removeFirst();
            if (chain.add(current)) {
                todo.addAll(onHistory.getOrDefault(histories.get(current), List.of()));
            }
        }
        return chain;
    }

    /**
     * Removes what the refreshed build in the leased {@code store} replaced, and says so in the job's log. Best
     * effort: an image that stays costs disk and, at worst, an old layer in a later build, never this job.
     *
     * @param before the store's images before the build
     * @param log    the job's log
     */
    static void dropReplaced(
            ImageStores.ImageStore store,
            Set<String> before,
            ProcessRunner processes,
            Path workDir,
            Consumer<String> log) {
        try {
            StoreImages images = StoreImages.read(store.root(), store.driver());
            Replaced replaced = replaced(before, images, images.histories(store.root(), store.driver()));
            if (!replaced.kept().isEmpty()) {
                log.accept("layer cache: --no-cache kept older cached images a named image stands on: "
                        + String.join(
                                ", ",
                                replaced.kept().stream()
                                        .map(id -> id.substring(0, 12))
                                        .toList()));
            }
            if (replaced.remove().isEmpty()) {
                return;
            }
            List<String> command = store.commands().removeImages(replaced.remove());
            ProcessResult removed = processes.run(
                    command, workDir, Map.of(), REMOVE_LIMIT, new JobControl(UUID.randomUUID(), 0), line -> {});
            StoreImages after = StoreImages.read(store.root(), store.driver());
            LayerCacheUse.of(store.dir()).save(after.images().keySet());
            List<String> left = replaced.remove().stream()
                    .filter(after.images()::containsKey)
                    .toList();
            int gone = replaced.remove().size() - left.size();
            log.accept("layer cache: --no-cache replaced " + gone + " older cached " + (gone == 1 ? "image" : "images")
                    + (left.isEmpty()
                            ? ""
                            : "; " + left.size() + " could not be removed (" + removed.lastLine()
                                    + "): a later build may still take their layers"));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot remove the cached images a --no-cache build replaced in {}", store.dir(), e);
            log.accept("layer cache: cannot remove the older cached images --no-cache replaced: " + e.getMessage());
        }
    }
}
