package io.archfarm.afctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Event streams recorded from the farm's {@code /api/v1/builds/{id}/events}, kept under src/test/resources/events. */
final class Recorded {

    static final String BUILD_ID = "3f1c2a9e-8d1c-4b6a-9c55-2b1f0d1a26e6";

    private Recorded() {}

    static String events(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded event stream " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last BuildView of a recorded stream, with its status (and each failed job's) changed to {@code status}. */
    static String endedAs(String name, String status) {
        String stream = events(name);
        int end = stream.lastIndexOf("event: end");
        return stream.substring(end)
                .replace("\"status\":\"SUCCEEDED\",\"team\"", "\"status\":\"" + status + "\",\"team\"");
    }
}
