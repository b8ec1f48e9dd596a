package io.archfarm.worker.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the registries.conf that lets buildah pull FROM images over plain http from the insecure registries. */
public final class RegistriesConf {

    private RegistriesConf() {
    }

    static String render(List<String> insecureRegistries) {
        StringBuilder conf = new StringBuilder("# written by the Archfarm worker at start-up\n"
                + "unqualified-search-registries = [\"docker.io\"]\n");
        for (String registry : insecureRegistries) {
            if (!registry.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException(
                        "archfarm.registry.insecure: '" + registry + "' is not a registry host[:port]");
            }
            conf.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
        }
        return conf.toString();
    }

    public static void write(Path file, List<String> insecureRegistries) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(insecureRegistries));
    }
}
