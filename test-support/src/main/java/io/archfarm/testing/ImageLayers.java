package io.archfarm.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads files out of an image's layer blobs as a registry serves them, so that a test checks what was really pushed
 * (which architecture's binary, which file a stage copied) rather than what a tool says it pushed.
 */
public final class ImageLayers {

    /** A layer blob and the media type its manifest gives it. */
    public record Layer(byte[] blob, String mediaType) {}

    private ImageLayers() {}

    /** The file at {@code path} in the image made of {@code layers} (in manifest order): the last layer holding it. */
    public static Optional<byte[]> file(List<Layer> layers, String path) {
        String wanted = path.replaceFirst("^/", "");
        Optional<byte[]> content = Optional.empty();
        for (Layer layer : layers) {
            Optional<byte[]> found = fileInLayer(layer, wanted);
            if (found.isPresent()) {
                content = found;
            }
        }
        return content;
    }

    private static Optional<byte[]> fileInLayer(Layer layer, String wanted) {
        String mediaType = layer.mediaType();
        try (InputStream raw = new ByteArrayInputStream(layer.blob());
                InputStream plain = mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip")
                        ? new GzipCompressorInputStream(raw)
                        : raw;
                TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().replaceFirst("^\\./", "").equals(wanted)) {
                    return Optional.of(tar.readAllBytes());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a layer of media type " + mediaType, e);
        }
    }
}
