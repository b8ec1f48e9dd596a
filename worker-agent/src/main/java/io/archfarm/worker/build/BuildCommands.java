package io.archfarm.worker.build;

import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The buildah and skopeo command lines of a platform job. buildah runs rootful without a container engine, with the
 * storage driver the worker chose at start, in the image store the job leased ({@link ImageStores}).
 */
record BuildCommands(Path storageRoot, Path runRoot, StorageDriver driver) {

    BuildCommands(Path storageRoot, Path runRoot) {
        this(storageRoot, runRoot, StorageDriver.VFS);
    }

    /**
     * The image gets no name: it is written to {@code imageIdFile} and pushed and removed by that id. A name would
     * have to be removed again, and {@code buildah rmi} of a name built with {@code --layers} also removes the
     * unnamed images under it, which are the layer cache. {@code --pull=true} is buildah 1.28's "newer": a base image
     * stays in the store, and a {@code FROM} whose tag moved on the registry is pulled again at its new digest; when
     * the registry cannot be asked, the copy in the store is used.
     *
     * @param access the auth file and CA directory for the pulls of {@code FROM} images, each only when there is one
     */
    List<String> build(
            Platform platform,
            Path containerfile,
            Map<String, String> buildArgs,
            LayerCache cache,
            Path imageIdFile,
            Path context,
            RegistryAccess access) {
        List<String> command = buildah(
                "build",
                "--isolation",
                "chroot",
                "--platform",
                platform.toString(),
                "-f",
                containerfile.toString(),
                "--pull=true");
        switch (cache) {
            case USE -> command.add("--layers");
            case REFRESH -> command.addAll(List.of("--layers", "--no-cache"));
            case OFF -> {}
        }
        access.authFile().ifPresent(file -> command.addAll(List.of("--authfile", file.toString())));
        access.certDir().ifPresent(dir -> command.addAll(List.of("--cert-dir", dir.toString())));
        new TreeMap<>(buildArgs).forEach((key, value) -> command.addAll(List.of("--build-arg", key + "=" + value)));
        command.addAll(List.of("--iidfile", imageIdFile.toString(), context.toString()));
        return command;
    }

    List<String> pushToLayout(String imageId, Path digestFile, Path layout) {
        return buildah("push", "--digestfile", digestFile.toString(), imageId, "oci:" + layout + ":img");
    }

    /** Removes images by id; an image with a name loses all of them. */
    List<String> removeImage(String imageId) {
        return buildah("rmi", "-f", imageId);
    }

    /**
     * Removes images by id, in the order given (an image before the one it stands on). Without {@code -f}: an image
     * a container still uses stays.
     */
    List<String> removeImages(List<String> imageIds) {
        List<String> command = buildah("rmi");
        command.addAll(imageIds);
        return command;
    }

    /** The working containers a killed build leaves behind; in a leased store they can only be its own job's. */
    List<String> removeContainers() {
        return buildah("rm", "--all");
    }

    /** Copies the image as it is (same digest) from the layout to the registry, addressed by digest: no tag moves. */
    static List<String> copyToRegistry(
            Path layout, String image, String digest, boolean insecure, RegistryAccess access) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--preserve-digests"));
        if (insecure) {
            command.add("--dest-tls-verify=false");
        }
        access.authFile().ifPresent(file -> command.addAll(List.of("--dest-authfile", file.toString())));
        access.certDir().ifPresent(dir -> command.addAll(List.of("--dest-cert-dir", dir.toString())));
        command.addAll(List.of("oci:" + layout + ":img", "docker://" + image + "@" + digest));
        return command;
    }

    /** The auth file and the CA directory a job's buildah and skopeo are given, when they are not the tools' own. */
    record RegistryAccess(Optional<Path> authFile, Optional<Path> certDir) {}

    private List<String> buildah(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                "buildah",
                "--storage-driver",
                driver.flag(),
                "--root",
                storageRoot.toString(),
                "--runroot",
                runRoot.toString()));
        command.addAll(List.of(arguments));
        return command;
    }
}
