package io.archfarm.afctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** afctl's own version, as the build wrote it into the jar. */
public final class Version {

    private static final String CLIENT = read();

    private Version() {}

    public static String client() {
        return CLIENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/io/archfarm/afctl/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
