package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker's addition to the host's containers registry configuration: a drop-in that marks the registries of
 * {@code archfarm.registry.insecure} as plain http. The host's {@code registries.conf} and its drop-ins (mirrors,
 * short names, blocked registries) stay as the operator wrote them: buildah and skopeo run with {@code HOME} set to
 * the worker's containers home, and they read the drop-ins of {@code $HOME/.config/containers/registries.conf.d}
 * after the host's own ({@code containers-registries.conf.d(5)}).
 */
public final class RegistriesConf {

    static final String DROP_IN = ".config/containers/registries.conf.d/50-archfarm-worker.conf";

    private RegistriesConf() {}

    static String render(List<String> insecureRegistries) {
        StringBuilder conf = new StringBuilder("# written by the Archfarm worker at start-up: the host's"
                + " registries.conf and its drop-ins are read before this file\n");
        for (String registry : insecureRegistries) {
            if (!registry.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException(
                        "archfarm.registry.insecure: '" + registry + "' is not a registry host[:port]");
            }
            conf.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
        }
        return conf.toString();
    }

    /** Writes the drop-in into {@code containersHome}, the HOME buildah and skopeo run with. */
    public static void write(Path containersHome, List<String> insecureRegistries) throws IOException {
        Path file = containersHome.resolve(DROP_IN);
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(insecureRegistries));
    }
}
